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
  def agree(footers: Seq[ParquetFooter]): Unit = ParquetJoin.agree(footers)
  def tail(footers: Seq[ParquetFooter], starts: Seq[Long]): Array[Byte] = ParquetJoin.tail(footers, starts)
}
