package sparkmerge.columnar

import org.apache.hadoop.fs.FileSystem

import sparkmerge.parts.Part

/**
 * A columnar format whose parts are joined whole, behind one new footer that points at every part's blocks
 * where they now lie ([[ColumnarPieces]]): what the join needs to know of the format, and no more.
 *
 * @tparam F one part's footer, as read
 */
private[sparkmerge] trait ColumnarFormat[F] {

  /** The format's name, as messages say it. */
  def name: String

  /** What the format calls its blocks, and how a writer makes them larger: for the result's words. */
  def blocksAre: String
  def largerBlocks: String

  /** A part's footer, read and checked: a damaged, cut or encrypted part is refused here, naming it. */
  def read(fs: FileSystem, part: Part): F

  def part(footer: F): Part

  /** The sizes of the footer's blocks (row groups, stripes), in the order they lie. */
  def blocks(footer: F): Seq[Long]

  /** Refuses parts that are not one table: the first that differs from the first part is named. */
  def agree(footers: Seq[F]): Unit

  /**
   * The bytes that end the joined file, after the parts laid whole one after the other.
   *
   * @param starts where each part begins in the joined file
   */
  def tail(footers: Seq[F], starts: Seq[Long]): Array[Byte]
}

private[sparkmerge] object ColumnarFormat {

  /** The format [[sparkmerge.format.BinaryFormats]] tells by this name, if its parts are joined by a footer. */
  def unapply(name: String): Option[ColumnarFormat[_]] = Seq(ParquetFormat, OrcFormat).find(_.name == name)
}
