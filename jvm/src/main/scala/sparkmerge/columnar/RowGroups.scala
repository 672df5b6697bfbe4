package sparkmerge.columnar

/** What the joined row groups are like, in words for the result: many small ones make a file slow to read. */
private[sparkmerge] object RowGroups {
  private val MiB = 1L << 20
  private val Small = 8 * MiB

  def describe(footers: Seq[ParquetFooter]): String = {
    val sizes = footers.flatMap(f => JavaLists.seq(f.meta.getRow_groups).map(_.getTotal_byte_size)).sorted
    if (sizes.isEmpty) "no row group: the schema alone"
    else {
      val median = sizes(sizes.size / 2)
      val joined = s"${sizes.size} row groups of ${footers.size} parts joined, none decoded (median ${mib(median)})"
      if (sizes.size < 2 || median >= Small) joined
      else
        s"$joined; row groups this small make the file slow to read: write fewer, larger partitions, or raise " +
          "parquet.block.size"
    }
  }

  private def mib(bytes: Long): String = f"${bytes.toDouble / MiB}%.1f MiB"
}
