package sparkmerge

import org.apache.hadoop.fs.Path

/**
 * Everything a merge will do, decided before a byte moves: a value that can be printed and tested without a
 * file system.
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

  /** The target's length, where every piece's contribution is known in advance. */
  def expectedBytes: Option[Long] =
    pieces.foldLeft(Option(0L))((sum, piece) => sum.flatMap(s => piece.contributes.map(s + _)))

  /** The bytes read from the inputs. */
  def inputBytes: Long = pieces.map(_.length).sum

  def describe: String = {
    val lines = pieces.map {
      case Piece.Whole(path, length)                => s"  whole   $path ($length bytes)"
      case Piece.Tail(path, length, offset)         => s"  from $offset $path ($length bytes)"
      case Piece.Recoded(path, length, drop, codec) => s"  recode  $path (${codec.name}, drop $drop bytes)"
    }
    (s"merge $files files into $target by $strategy (${codec.name}; $reason):" +: lines).mkString("\n")
  }
}
