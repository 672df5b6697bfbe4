package sparkmerge.parts

/** Text with its digit runs compared as numbers: `file-2` before `file-10`. */
private[sparkmerge] object NaturalOrder extends Ordering[String] {
  private val Chunk = """\d+|\D+""".r

  override def compare(a: String, b: String): Int = {
    val ca = Chunk.findAllIn(a).toVector
    val cb = Chunk.findAllIn(b).toVector
    ca.zip(cb)
      .iterator
      .map { case (x, y) => compareChunk(x, y) }
      .find(_ != 0)
      .getOrElse(if (ca.length != cb.length) ca.length.compare(cb.length) else a.compare(b))
  }

  private def compareChunk(x: String, y: String): Int =
    if (x.head.isDigit && y.head.isDigit) {
      val byValue = BigInt(x).compare(BigInt(y))
      if (byValue != 0) byValue else x.length.compare(y.length)
    } else x.compare(y)
}
