package sparkmerge

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.parts.DataFileSystem
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.MergeRequest
import sparkmerge.publish.Destination

/**
 * Merges the part files of a directory into one file, on any Hadoop file system.
 *
 * {{{
 * import sparkmerge.{Merger, MergeOptions}
 * Merger.merge("hdfs:///jobs/recs/parts", "hdfs:///exports/recommendations.csv",
 *   MergeOptions(header = true), spark.sparkContext.hadoopConfiguration)
 * }}}
 *
 * The merge runs through [[sparkmerge.pipeline.MergePipeline]]; only once the target is in place, and if asked,
 * the source is deleted.
 */
object Merger {
  private val log = LoggerFactory.getLogger(getClass)

  def merge(
      source: String,
      target: String,
      options: MergeOptions = MergeOptions(),
      conf: Configuration = new Configuration(),
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = {
    val sourcePath = PathArgument.parse(source, "source")
    val sourceFs = sourcePath.getFileSystem(conf)
    val sourceDir = sourceFs.makeQualified(sourcePath)
    val destination = Destination.of(PathArgument.parse(target, "target"), conf)
    checkApart(sourceDir, destination.target)
    val request = MergeRequest(
      DataFileSystem.of(sourceFs),
      sourceDir,
      headers = options.header,
      consumable = options.deleteSource
    )
    val result = MergePipeline.run(request, destination, options, progress)
    if (options.deleteSource) deleteSource(sourceFs, sourceDir, destination.target)
    result
  }

  // The target is in place by now: a source that cannot go (a snapshot, permissions) is a warning, not a failure.
  private def deleteSource(fs: FileSystem, source: Path, target: Path): Unit = {
    val why =
      try if (fs.delete(source, true)) None else Some("the file system said no")
      catch { case e: IOException => Some(FirstLine.of(e)) }
    why.foreach(reason =>
      log.warn(s"sparkmerge: merged into $target, but could not delete the source $source: $reason")
    )
  }

  /** The target may not be the source, nor lie inside it, where deleting the source would delete it too. */
  private def checkApart(source: Path, target: Path): Unit = {
    val (s, t) = (source.toUri.toString.stripSuffix("/"), target.toUri.toString)
    if (t == s || t.startsWith(s + "/"))
      throw new InvalidLayoutException(
        s"target $target lies inside the source $source: choose a target outside the source directory"
      )
  }
}
