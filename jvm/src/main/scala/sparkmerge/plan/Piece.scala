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

  /**
   * The bytes of the file from `offset` to `until`: a plain part whose first bytes (a header record, a
   * byte-order mark, an XML prolog) or last (an XML end tag) are dropped. The dropped bytes are still read where
   * the part is checked against its checksum file, which covers them.
   */
  final case class Slice(
      path: Path,
      length: Long,
      offset: Long,
      until: Long,
      override val checksum: Option[Path] = None
  ) extends Piece {
    require(0 <= offset && offset <= until && until <= length, s"bytes $offset to $until outside $path of $length")
    def contributes: Option[Long] = Some(until - offset)

    /** The bytes dropped at the end. */
    def cut: Long = length - until
  }

  object Slice {

    /** The file from `offset` on. */
    def from(path: Path, length: Long, offset: Long, checksum: Option[Path] = None): Slice =
      Slice(path, length, offset, length, checksum)
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
   * The blocks of an Avro part, from `offset` (its header's end) on, each copied as it is but for the sync
   * marker after it: the part's own (`from`) becomes the merged file's (`to`), which its reader checks after
   * every block. Read through this JVM, never decoded; the same length as the bytes it stands for.
   */
  final case class Resynced(
      path: Path,
      length: Long,
      offset: Long,
      from: Seq[Byte],
      to: Seq[Byte],
      override val checksum: Option[Path] = None
  ) extends Piece {
    require(from.length == to.length, s"sync markers of $path differ in length")
    def contributes: Option[Long] = Some(length - offset)
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
