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
 */
final case class MergePlan(
    target: Path,
    pieces: Vector[Piece],
    strategy: Strategy,
    codec: Codec,
    files: Int,
    reason: String = ""
) {
  require(
    pieces.drop(1).forall(!_.isInstanceOf[Piece.Resumed]),
    s"only the first piece of $target can be the resumed start of the file"
  )

  /** The target's length, where every piece's contribution is known in advance. */
  def expectedBytes: Option[Long] =
    pieces.foldLeft(Option(0L))((sum, piece) => sum.flatMap(s => piece.contributes.map(s + _)))

  /** The bytes of the inputs, the resumed start of the file included. */
  def inputBytes: Long = pieces.map(_.length).sum

  /** The bytes already in the file when the merge starts. */
  def resumedBytes: Long = pieces.collect { case resumed: Piece.Resumed => resumed.length }.sum

  def describe: String = {
    val lines = pieces.map {
      case Piece.Whole(path, length)                => s"  whole   $path ($length bytes)"
      case Piece.Tail(path, length, offset)         => s"  from $offset $path ($length bytes)"
      case Piece.Recoded(path, length, drop, codec) => s"  recode  $path (${codec.name}, drop $drop of $length bytes)"
      case Piece.Resumed(path, length, holds)       => s"  resume  $path ($length bytes, ${holds.size} pieces)"
    }
    (s"merge $files files into $target by $strategy (${codec.name}; $reason):" +: lines).mkString("\n")
  }
}
