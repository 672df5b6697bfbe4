package sparkmerge.publish

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

import sparkmerge.MergeProgress
import sparkmerge.parts.DataFileSystem
import sparkmerge.plan.MergePlan

/**
 * Where a merge's file goes, decided once per merge from the target's file system: how the merged bytes are
 * written and how the finished file is published. The destinations so far write a hidden file beside the target
 * and publish it with a rename ([[RenamingDestination]]). A store where a rename is a copy of the data (S3) plugs
 * in here as a destination that writes a multipart upload and publishes by completing it.
 */
trait Destination {

  /** The final path, qualified. */
  def target: Path

  /** The caller's file system of the target: its renames and deletes move and remove checksum files too. */
  def fs: FileSystem

  /** The file system the bytes move through: the raw one on local disk, with no checksum layer. */
  def dataFs: FileSystem

  def exists: Boolean = fs.exists(target)

  /** Fails early, before any data moves, on a target that may not be written. */
  def checkTarget(overwrite: Boolean): Unit = Publisher.checkTarget(fs, target, overwrite)

  /** Removes the hidden files that merges to this target left when they died; returns what went. */
  def cleanLeftovers(): Seq[Path] = Leftovers.clean(fs, dataFs, target)

  /** A new hidden directory's path beside the target, for files that will be pieces of it. */
  def newWorkDirectory(): Path = HiddenFiles.beside(target, "parts")

  /**
   * Writes the plan's pieces, read through `source`, and checks the length against the plan. On failure nothing
   * is left behind, and the error is a [[sparkmerge.SparkMergeException]].
   */
  def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged

  /** Puts what was staged at the target, or fails with the target as it was and nothing of a copy left. */
  def publish(staged: Staged, overwrite: Boolean): Unit
}

object Destination {

  def of(target: Path, conf: Configuration): Destination = {
    val fs = target.getFileSystem(conf)
    val qualified = fs.makeQualified(target)
    DataFileSystem.of(fs) match {
      case raw: RawLocalFileSystem => new LocalFileDestination(qualified, fs, raw)
      case _                       => new FileSystemDestination(qualified, fs)
    }
  }
}
