package sparkmerge.partitions

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, FileUtil, Path}

import sparkmerge.{
  MergeCall,
  MergeFailedException,
  MergeOptions,
  MergeProgress,
  MergeResult,
  PathArgument,
  SparkMerge,
  TargetExistsException
}
import sparkmerge.concat.ConcatSupport
import sparkmerge.parts.{ChildPaths, DataFileSystem, Part, SideEntries}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.MergeRequest
import sparkmerge.publish.{Destination, Publisher}

/**
 * One file of a set merged at once: what a driver thread or an executor's task runs, so serializable and
 * built of paths, not of file system objects. Each is a whole merge of its own: order, header once, atomic
 * publish.
 */
private[sparkmerge] sealed trait FileMerge extends Serializable {
  def target: String
  def options: MergeOptions
  def run(conf: Configuration, progress: MergeProgress): MergeResult
}

/** A directory of parts written by any job, merged as [[SparkMerge.merge]] merges one (and deleted, if asked). */
private[sparkmerge] final case class DirectoryMerge(source: String, target: String, options: MergeOptions)
    extends FileMerge {
  def run(conf: Configuration, progress: MergeProgress): MergeResult =
    SparkMerge.merge(MergeCall(source, target, options), conf, progress).single
}

/**
 * A partition directory the DataFrame writer just wrote, without headers, and the header Spark rendered for
 * all of them. On HDFS the header is copied into the directory first: concat joins the files of one directory,
 * and consumes them. Elsewhere the one rendered file is read by every merge: a copy would cost a file (and on
 * local disk without Hadoop's native library, a `chmod` process) per partition value.
 *
 * Once its file is in place the directory goes, on the thread or executor that merged it: the parts are the
 * writer's hidden copies, and deleting thousands of them afterwards, one at a time, took longer than merging
 * them (on a disk that discards freed blocks each delete waits on the device).
 */
private[sparkmerge] final case class WrittenPartitionMerge(
    directory: String,
    header: Option[String],
    target: String,
    options: MergeOptions
) extends FileMerge {

  def run(conf: Configuration, progress: MergeProgress): MergeResult = {
    val destination = Destination.of(PathArgument.parse(target, "target"), conf)
    val dir = new Path(directory)
    val fs = dir.getFileSystem(conf)
    val leading = header.map { rendered =>
      val path = new Path(rendered)
      if (ConcatSupport.trusted(fs)) part(fs, copyInto(fs, path, dir, conf)) else part(fs, path)
    }
    val request = MergeRequest(DataFileSystem.of(fs), dir, leading.toVector, allowEmpty = true, consumable = true)
    val result = MergePipeline.run(request, destination, options, progress)
    Publisher.discard(fs, dir, recursive = true)
    result
  }

  private def copyInto(fs: FileSystem, header: Path, dir: Path, conf: Configuration): Path = {
    val copy = new Path(dir, s".header-${header.getName}")
    if (!FileUtil.copy(fs, header, fs, copy, false, true, conf))
      throw new MergeFailedException(s"could not copy the rendered header $header to $copy")
    copy
  }

  /**
   * The header as a piece: its block size too (concat refuses a source block size above the target's), and
   * the checksum file the local file system wrote beside it, checked as the parts' are.
   */
  private def part(fs: FileSystem, path: Path): Part = {
    val status = fs.getFileStatus(path)
    val checksum = ChildPaths.of(path.getParent, SideEntries.checksumOf(path.getName))
    Part(path, status.getLen, status.getBlockSize, Some(checksum).filter(DataFileSystem.of(fs).exists))
  }
}

/** `merge`, with `ignore`'s answer for a file that another merge published meanwhile: skipped, not a failure. */
private[sparkmerge] final case class SkipExisting(merge: FileMerge, qualified: String) extends FileMerge {
  def target: String = merge.target
  def options: MergeOptions = merge.options
  def run(conf: Configuration, progress: MergeProgress): MergeResult =
    try merge.run(conf, progress)
    catch { case _: TargetExistsException => MergeResult.skipped(qualified) }
}
