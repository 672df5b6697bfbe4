package sparkmerge.plan

import org.apache.hadoop.fs.{FileSystem, Path}

/** What a plan needs to know of where the merged file goes: the store's kind, not how it writes or publishes. */
private[sparkmerge] trait PlannedStore {

  /** The final path, qualified. */
  def target: Path

  /** The caller's file system of the target. */
  def fs: FileSystem

  /** A store of objects, not files: the plan speaks of what applies there, not of concat or renames. */
  def objectStore: Boolean = false

  /**
   * Why the store cannot build the target from the `pieces` (read through `source`) itself, or None where it can
   * (S3's multipart copy, GCS's compose). No other file system does.
   */
  def whyNotInStore(source: FileSystem, pieces: Seq[Piece]): Option[String] =
    Some(s"${target.toUri.getScheme} copies nothing itself")
}
