package sparkmerge.columnar

/** Parquet's Thrift lists and Scala's, on both Scala lines (2.12 and 2.13 name their converters differently). */
private[sparkmerge] object JavaLists {

  def seq[T](list: java.util.List[T]): Vector[T] =
    if (list == null) Vector.empty
    else {
      val out = Vector.newBuilder[T]
      val it = list.iterator()
      while (it.hasNext) out += it.next()
      out.result()
    }

  def list[T](items: Seq[T]): java.util.List[T] = {
    val out = new java.util.ArrayList[T](items.size)
    items.foreach(out.add)
    out
  }
}
