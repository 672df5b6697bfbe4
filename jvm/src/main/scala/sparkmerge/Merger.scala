package sparkmerge

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.parts.{DataFileSystem, RealLocation}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.MergeRequest
import sparkmerge.publish.Destination

/**
 * Merges the part files of a directory into one file, on any Hadoop file system: [[SparkMerge.merge]] of one
 * target. The merge runs through [[sparkmerge.pipeline.MergePipeline]]; only once the target is in place, and if asked,
 * the source is deleted.
 */
private[sparkmerge] object Merger {
  private val log = LoggerFactory.getLogger(getClass)

  /** The merge of `call`, whose target is the one file `target`. */
  def merge(call: MergeCall, target: Targets.OneFile, conf: Configuration, progress: MergeProgress): MergeResult = {
    val options = call.options
    val sourceFs = call.source.getFileSystem(conf)
    val sourceDir = sourceFs.makeQualified(call.source)
    val destination = Destination.of(target.path, conf)
    if (targetWithin(sourceFs, sourceDir, destination))
      throw new InvalidLayoutException(
        s"target ${destination.target} lies inside the source $sourceDir, or is it: choose a target outside the " +
          "source directory"
      )
    val request = MergeRequest(
      DataFileSystem.of(sourceFs),
      sourceDir,
      headers = options.header,
      dialect = call.dialect,
      consumable = options.deleteSource,
      lineBreaks = Some(call.lineBreaks),
      mark = call.mark
    )
    val result = MergePipeline.run(request, destination, options, progress)
    if (options.deleteSource) deleteSource(sourceFs, sourceDir, destination)
    result
  }

  /**
   * The target may not be the source, nor lie inside it, where deleting the source would delete it too: as
   * the file systems see them, through links and other names of the same NameNode.
   */
  private def targetWithin(sourceFs: FileSystem, source: Path, destination: Destination): Boolean =
    RealLocation.of(destination.fs, destination.target).within(RealLocation.of(sourceFs, source))

  // The target is in place by now: a source that cannot go (a snapshot, permissions) is a warning, not a failure,
  // and a source that has come to hold the target (a link made while merging) is never deleted.
  private def deleteSource(fs: FileSystem, source: Path, destination: Destination): Unit = {
    val why =
      try
        if (targetWithin(fs, source, destination)) Some(s"it now holds the target")
        else if (fs.delete(source, true)) None
        else Some("the file system said no")
      catch { case e: IOException => Some(FirstLine.of(e)) }
    why.foreach(reason =>
      log.warn(s"sparkmerge: merged into ${destination.target}, but did not delete the source $source: $reason")
    )
  }
}
