package sparkmerge.publish

import org.apache.hadoop.fs.{FSDataOutputStream, Path}

/** The merged bytes, whole and checked, waiting to be published at the target. */
private[sparkmerge] sealed trait Staged {
  def path: Path
  def length: Long

  /** Parts that had no line break at their end, and got one. */
  def lineBreaksAdded: Int = 0
}

private[sparkmerge] object Staged {

  /**
   * A hidden copy: if it cannot be published it is thrown away, and the sources still hold everything.
   * `lineBreaksAdded` parts had none at their end, and got one.
   */
  final case class Copy(path: Path, length: Long, override val lineBreaksAdded: Int = 0) extends Staged

  /** The only copy of the data (the parts were concatenated into it): never thrown away, named in every error. */
  final case class Sole(path: Path, length: Long) extends Staged

  /**
   * The target's own stream on an object store, written and not yet closed: closing it makes the object appear,
   * aborting it leaves nothing.
   */
  final case class Open(
      path: Path,
      length: Long,
      stream: FSDataOutputStream,
      override val lineBreaksAdded: Int = 0
  ) extends Staged

  /**
   * A multipart upload to the target, every part in the store and nothing visible until it completes; if it
   * cannot be, it is aborted. `copied` of its bytes the store copied from the parts itself.
   */
  final case class Upload(
      path: Path,
      length: Long,
      upload: String,
      etags: Seq[String],
      copied: Long,
      override val lineBreaksAdded: Int = 0
  ) extends Staged
}
