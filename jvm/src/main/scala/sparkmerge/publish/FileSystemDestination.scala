package sparkmerge.publish

import org.apache.hadoop.fs.{FileAlreadyExistsException, FileSystem, FileUtil, Options, Path}

import sparkmerge.MergeProgress
import sparkmerge.copy.Copied
import sparkmerge.plan.{MergePlan, Piece}

/**
 * A target on any Hadoop file system that renames in place (HDFS, and others): written through its streams. On an
 * object store with no way of its own, `storeWhy` says why the store builds nothing itself.
 */
private[sparkmerge] final class FileSystemDestination(
    val target: Path,
    val fs: FileSystem,
    storeWhy: Option[String] = None
) extends RenamingDestination {

  def dataFs: FileSystem = fs

  override def objectStore: Boolean = storeWhy.isDefined

  override def whyNotInStore(source: FileSystem, pieces: Seq[Piece]): Option[String] =
    storeWhy.orElse(super.whyNotInStore(source, pieces))

  protected def copy(
      plan: MergePlan,
      source: FileSystem,
      file: Path,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied =
    stream(plan, source, fs, file, bufferBytes, progress)

  /**
   * Hadoop's rename with options: on HDFS one NameNode operation that fails if the target exists
   * (`Rename.NONE`) or replaces it (`Rename.OVERWRITE`). A file system that does not implement it gets
   * Hadoop's generic version, a check and a delete before the rename, which is as atomic as it can be there.
   */
  protected def place(file: Path, overwrite: Boolean): Unit =
    try FileUtil.rename(fs, file, target, if (overwrite) Options.Rename.OVERWRITE else Options.Rename.NONE)
    catch { case _: FileAlreadyExistsException => throw Publisher.exists(target, appeared = true) }
}
