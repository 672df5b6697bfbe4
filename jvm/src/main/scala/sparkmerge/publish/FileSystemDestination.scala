package sparkmerge.publish

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.MergeProgress
import sparkmerge.plan.MergePlan

/** A target on any Hadoop file system that renames in place (HDFS, and others): written through its streams. */
final class FileSystemDestination(val target: Path, val fs: FileSystem) extends RenamingDestination {

  def dataFs: FileSystem = fs

  protected def copy(plan: MergePlan, source: FileSystem, file: Path, bufferBytes: Int, progress: MergeProgress): Long =
    stream(plan, source, fs, file, bufferBytes, progress)
}
