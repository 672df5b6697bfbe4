package sparkmerge.publish

import org.apache.hadoop.fs.{FileAlreadyExistsException, FileSystem, FileUtil, Options, Path}

import sparkmerge.MergeProgress
import sparkmerge.copy.Copied
import sparkmerge.plan.MergePlan

/** A target on any Hadoop file system that renames in place (HDFS, and others): written through its streams. */
private[sparkmerge] final class FileSystemDestination(val target: Path, val fs: FileSystem)
    extends RenamingDestination {

  def dataFs: FileSystem = fs

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
