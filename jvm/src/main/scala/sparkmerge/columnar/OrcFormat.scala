package sparkmerge.columnar

import org.apache.hadoop.fs.FileSystem

import sparkmerge.parts.Part

/** ORC as a [[ColumnarFormat]]: stripes behind one tail ([[OrcFooter]], [[OrcJoin]]). */
private[sparkmerge] object OrcFormat extends ColumnarFormat[OrcFooter] {
  val name = "ORC"
  val blocksAre = "stripes"
  val largerBlocks = "orc.stripe.size"

  def read(fs: FileSystem, part: Part): OrcFooter = OrcFooter.read(fs, part)
  def part(footer: OrcFooter): Part = footer.part
  // As they lie on disk, compressed: orc.stripe.size aims at the writer's buffers, which are about that.
  def blocks(footer: OrcFooter): Seq[Long] =
    footer.stripes.map(s => s.getIndexLength + s.getDataLength + s.getFooterLength)
  def agree(footers: Seq[OrcFooter]): Unit = OrcJoin.agree(footers)
  def tail(footers: Seq[OrcFooter], starts: Seq[Long]): Array[Byte] = OrcJoin.tail(footers, starts)
}
