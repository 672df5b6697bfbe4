package sparkmerge.publish

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

import sparkmerge.{FirstLine, MergeFailedException, MergeProgress, SparkMergeException}
import sparkmerge.objectstore.ObjectStoreDestination
import sparkmerge.parts.{DataFileSystem, ObjectStores}
import sparkmerge.plan.{MergePlan, PlannedStore}

/**
 * Where a merge's file goes, decided once per merge from the target's file system: how the merged bytes are
 * written and how the finished file is published. The destinations so far write a hidden file beside the target
 * and publish it with a rename ([[RenamingDestination]]). On S3, where a rename is a copy of the data, the
 * destination writes a multipart upload and publishes by completing it
 * ([[sparkmerge.objectstore.MultipartDestination]]).
 */
private[sparkmerge] trait Destination extends PlannedStore {

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
  def newWorkDirectory(): Path = HiddenFiles.beside(target, HiddenFiles.Kind.Work)

  /**
   * Writes the plan's pieces, read through `source`, and checks the length against the plan. On failure nothing
   * is left behind, and the error is a [[sparkmerge.SparkMergeException]].
   */
  def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged

  /**
   * The file the parts were concatenated into (by [[sparkmerge.concat.ConcatMerge]]), to be published at the
   * target, where this destination publishes by renaming; None where it does not, and then no concat is made.
   */
  def concatenated: Option[(Path, Long) => Staged] = None

  /** `body`, whose failures of the file system leave target and sources as they were, and say so. */
  def unchanged[T](body: => T): T =
    try body
    catch { case e: IOException => throw failing(e) }

  /** An error of the file system as one line that names the target; sparkmerge's own errors as they are. */
  protected def failing(e: Throwable): Throwable = e match {
    case known: SparkMergeException => known
    case io: IOException            =>
      new MergeFailedException(
        s"merging into $target failed, the target and the sources are unchanged: ${FirstLine.of(io)}",
        Some(io)
      )
    case other => other
  }
}

private[sparkmerge] object Destination {

  def of(target: Path, conf: Configuration): Destination = {
    val fs = target.getFileSystem(conf)
    val qualified = fs.makeQualified(target)
    DataFileSystem.of(fs) match {
      case raw: RawLocalFileSystem  => new LocalFileDestination(qualified, fs, raw)
      case _ if ObjectStores.is(fs) => ObjectStoreDestination.of(qualified, fs, conf)
      case _                        =>
        ObjectStoreDestination.azure(qualified, fs, conf).getOrElse(new FileSystemDestination(qualified, fs))
    }
  }
}
