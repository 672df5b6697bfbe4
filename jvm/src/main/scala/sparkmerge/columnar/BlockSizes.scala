package sparkmerge.columnar

/** What the joined blocks are like, in words for the result: many small ones make a file slow to read. */
private[sparkmerge] object BlockSizes {
  private val MiB = 1L << 20
  private val Small = 8 * MiB

  def describe[F](format: ColumnarFormat[F], footers: Seq[F]): String = {
    val sizes = footers.flatMap(format.blocks).sorted
    val word = format.blocksAre
    if (sizes.isEmpty) s"no ${word.stripSuffix("s")}: the schema alone"
    else {
      val median = sizes(sizes.size / 2)
      val joined = s"${sizes.size} $word of ${footers.size} parts joined, none decoded (median ${mib(median)})"
      if (sizes.size < 2 || median >= Small) joined
      else
        s"$joined; $word this small make the file slow to read: write fewer, larger partitions, or raise " +
          format.largerBlocks
    }
  }

  private def mib(bytes: Long): String = f"${bytes.toDouble / MiB}%.1f MiB"
}
