package sparkmerge.plan

import org.apache.hadoop.fs.Path

import sparkmerge.format.Codec

/** One stretch of the merged file, taken from one input file. */
private[sparkmerge] sealed trait Piece {
  def path: Path

  /** The input file's length on the file system. */
  def length: Long

  /** The bytes this piece adds to the target, where known before the merge runs. */
  def contributes: Option[Long]

  /** How many input files this piece stands for. */
  def files: Int = 1

  /** The checksum file Hadoop wrote beside the input file, which the copy checks it against. */
  def checksum: Option[Path] = None
}

private[sparkmerge] object Piece {

  /** The whole file, byte for byte; a file that is not the caller's data (a rendered header) stands for none. */
  final case class Whole(
      path: Path,
      length: Long,
      override val checksum: Option[Path] = None,
      override val files: Int = 1
  ) extends Piece {
    def contributes: Option[Long] = Some(length)
  }

  /** The file from `offset` on: a plain part whose header record (the first `offset` bytes) is dropped. */
  final case class Tail(path: Path, length: Long, offset: Long, override val checksum: Option[Path] = None)
      extends Piece {
    require(offset >= 0 && offset <= length, s"offset $offset outside $path of $length bytes")
    def contributes: Option[Long] = Some(length - offset)
  }

  /**
   * A compressed part whose header record must go: decoded, its first `dropBytes` skipped, the rest encoded
   * again. The only piece whose output length is known only once it is written.
   */
  final case class Recoded(
      path: Path,
      length: Long,
      dropBytes: Long,
      codec: Codec,
      override val checksum: Option[Path] = None
  ) extends Piece {
    def contributes: Option[Long] = None
  }

  /**
   * The start of the merged file, already written: `path` holds exactly the pieces `holds`, `length` bytes, and
   * the merge goes on by appending to it. Only ever the first piece; nothing is read for it.
   */
  final case class Resumed(path: Path, length: Long, holds: Vector[Piece]) extends Piece {
    def contributes: Option[Long] = Some(length)
    override def files: Int = holds.map(_.files).sum
  }
}
