package sparkmerge.plan

import org.apache.hadoop.fs.Path

import sparkmerge.format.Codec

/**
 * Everything a merge will do, decided before a byte moves: a value that can be printed and tested without a
 * file system. Only [[MergePlanner]] makes one, and nothing changes it afterwards.
 *
 * @param target the final path
 * @param pieces the stretches of the target, in order
 * @param files  how many of the caller's data files the pieces come from (a rendered header is not one)
 * @param reason why this strategy, in words for the log and the result
 * @param lineBreaks what to do where a part's last line has no line break; None where none can lack one
 * @param scratch    the files the planner wrote for the merge ([[ScratchFiles]]), gone once the merge ends
 */
private[sparkmerge] final case class MergePlan(
    target: Path,
    pieces: Vector[Piece],
    strategy: Strategy,
    codec: Codec,
    files: Int,
    reason: String = "",
    lineBreaks: Option[LineBreaks] = None,
    scratch: Seq[Path] = Nil
) {
  require(
    pieces.drop(1).forall(!_.isInstanceOf[Piece.Resumed]),
    s"only the first piece of $target can be the resumed start of the file"
  )

  /** The target's length, where every piece's contribution is known in advance. */
  def expectedBytes: Option[Long] =
    pieces.foldLeft(Option(0L))((sum, piece) => sum.flatMap(s => piece.contributes.map(s + _)))

  /**
   * What a finished copy's file must hold: the pieces' known lengths and the line breaks the copy added, or,
   * where a piece's share is known only once it is written (a recoded one), what the copy says it `wrote`.
   */
  def expectedLength(wrote: Long, lineBreaksAdded: Int): Long =
    expectedBytes.map(_ + lineBreaksAdded.toLong * lineBreaks.fold(0)(_.bytes.length)).getOrElse(wrote)

  /** The bytes of the inputs, the resumed start of the file included. */
  def inputBytes: Long = pieces.map(_.length).sum

  /** The bytes already in the file when the merge starts. */
  def resumedBytes: Long = pieces.collect { case resumed: Piece.Resumed => resumed.length }.sum

  /** The plan with `more` said after its reason. */
  def withReason(more: String): MergePlan = copy(reason = if (reason.isEmpty) more else s"$reason; $more")

  def describe: String = {
    val lines = pieces.map { piece =>
      val checked = piece.checksum.fold("")(_ => ", checked")
      piece match {
        case Piece.Whole(path, length, _, _)             => s"  whole   $path ($length bytes$checked)"
        case Piece.Slice(path, length, offset, until, _) =>
          s"  bytes $offset to $until of $path ($length bytes$checked)"
        case Piece.Recoded(path, length, drop, codec, _) =>
          s"  recode  $path (${codec.name}, drop $drop of $length bytes$checked)"
        case Piece.Resumed(path, length, holds)            => s"  resume  $path ($length bytes, ${holds.size} pieces)"
        case Piece.Resynced(path, length, offset, _, _, _) =>
          s"  blocks  $path (from $offset of $length bytes, sync markers made the first part's$checked)"
      }
    }
    val breaks = lineBreaks.fold("")(b => s"; ${b.describe}")
    (s"merge $files files into $target by $strategy (${codec.name}; $reason$breaks):" +: lines).mkString("\n")
  }
}
