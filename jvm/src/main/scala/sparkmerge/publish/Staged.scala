package sparkmerge.publish

import org.apache.hadoop.fs.Path

/** The merged bytes, whole and checked, waiting to be published at the target. */
sealed trait Staged {
  def path: Path
  def length: Long
}

object Staged {

  /**
   * A hidden copy: if it cannot be published it is thrown away, and the sources still hold everything.
   * `lineBreaksAdded` parts had none at their end, and got one.
   */
  final case class Copy(path: Path, length: Long, lineBreaksAdded: Int = 0) extends Staged

  /** The only copy of the data (the parts were concatenated into it): never thrown away, named in every error. */
  final case class Sole(path: Path, length: Long) extends Staged
}
