package sparkmerge.columnar

import org.apache.hadoop.fs.FileSystem

import sparkmerge.HeaderMismatchException
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

  /** What every part must share with the first: what the new footer states once for all of them. */
  def shared: Seq[ColumnarFormat.Shared[F]]

  /**
   * The bytes that end the joined file, after the parts laid whole one after the other.
   *
   * @param starts where each part begins in the joined file
   */
  def tail(footers: Seq[F], starts: Seq[Long]): Array[Byte]
}

private[sparkmerge] object ColumnarFormat {

  /** One thing the parts share: its name, its value in a footer, and that value in words. */
  final case class Shared[F](what: String, of: F => Any, shown: F => String)

  /** Refuses parts that are not one table written one way, naming the first that differs from the first part. */
  def agree[F](format: ColumnarFormat[F], footers: Seq[F]): Unit = {
    val first = footers.head
    for (shared <- format.shared; other <- footers.tail.find(f => shared.of(f) != shared.of(first)))
      throw new HeaderMismatchException(
        s"${format.part(other).path} has another ${shared.what} than ${format.part(first).path} " +
          s"(${shared.shown(other)} and ${shared.shown(first)}): the parts were not written by one write; merge " +
          "the parts of one write"
      )
  }

  /** Every format whose parts are joined by a footer. */
  val All: Seq[ColumnarFormat[_]] = Seq(ParquetFormat, OrcFormat)

  /** The format [[sparkmerge.format.BinaryFormats]] tells by this name, if its parts are joined by a footer. */
  def unapply(name: String): Option[ColumnarFormat[_]] = All.find(_.name == name)
}
