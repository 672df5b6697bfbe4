package sparkmerge.columnar

import org.apache.hadoop.fs.FileSystem

import sparkmerge.parts.Part

/** Parquet as a [[ColumnarFormat]]: row groups behind one footer ([[ParquetFooter]], [[ParquetJoin]]). */
private[sparkmerge] object ParquetFormat extends ColumnarFormat[ParquetFooter] {
  val name = "Parquet"
  val blocksAre = "row groups"
  val largerBlocks = "parquet.block.size"

  def read(fs: FileSystem, part: Part): ParquetFooter = ParquetFooter.read(fs, part)
  def part(footer: ParquetFooter): Part = footer.part
  // The row group's own measure (its columns' uncompressed bytes), which parquet.block.size aims at.
  def blocks(footer: ParquetFooter): Seq[Long] = JavaLists.seq(footer.meta.getRow_groups).map(_.getTotal_byte_size)
  def tail(footers: Seq[ParquetFooter], starts: Seq[Long]): Array[Byte] = ParquetJoin.tail(footers, starts)

  /** One table: the same schema and the same key-value metadata (Spark's schema is there). */
  val shared: Seq[ColumnarFormat.Shared[ParquetFooter]] = Seq(
    ColumnarFormat.Shared("schema", _.meta.getSchema, columns),
    ColumnarFormat.Shared(
      "key-value metadata",
      keyValues,
      f => s"keys ${keyValues(f).keys.toSeq.sorted.mkString(", ")}"
    )
  )

  private def columns(footer: ParquetFooter): String =
    JavaLists.seq(footer.meta.getSchema).drop(1).map(_.getName).mkString("[", ", ", "]")

  private def keyValues(footer: ParquetFooter): Map[String, String] =
    JavaLists.seq(footer.meta.getKey_value_metadata).map(kv => kv.getKey -> kv.getValue).toMap
}
