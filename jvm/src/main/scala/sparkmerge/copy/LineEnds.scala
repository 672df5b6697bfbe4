package sparkmerge.copy

import sparkmerge.format.Codec
import sparkmerge.plan.{MergePlan, Piece}

/**
 * Keeps the plan's promise about line breaks ([[sparkmerge.plan.LineBreaks]]) as the copy goes: after each
 * uncompressed piece that another piece with data follows, its last byte is looked at, and a missing line break
 * is added or refused. Compressed pieces are joined as they are: their last byte is known only once decoded.
 * A piece that is no file of the caller's (a rendered header, a byte-order mark) ends as sparkmerge wrote it.
 */
private[sparkmerge] final class LineEnds(plan: MergePlan) {
  private val lastWithData = plan.pieces.lastIndexWhere(_.length > 0)
  private var count = 0

  def added: Int = count

  /** Whether bytes follow piece `index`, whose last byte written was `last` (-1: it wrote none). */
  def breakAfter(index: Int, piece: Piece, last: Int): Boolean =
    plan.lineBreaks.exists { breaks =>
      index < lastWithData && last >= 0 && plan.codec == Codec.Plain && piece.files > 0 && last != breaks.bytes.last
    }

  /** The bytes to write after piece `index`, whose last byte written was `last` (-1: it wrote none). */
  def after(index: Int, piece: Piece, last: Int): Array[Byte] =
    plan.lineBreaks match {
      case Some(breaks) if breakAfter(index, piece, last) =>
        if (!breaks.add) throw breaks.refusal(piece.path)
        count += 1
        breaks.bytes
      case _ => Array.emptyByteArray
    }
}
