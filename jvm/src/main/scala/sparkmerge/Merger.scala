package sparkmerge

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.format.CsvDialect
import sparkmerge.partitions.PathTemplate
import sparkmerge.parts.{DataFileSystem, RealLocation}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.{LineBreaks, MergeRequest}
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
    if (PathTemplate.isTemplate(target))
      throw new InvalidOptionException(
        s"target $target names partition columns in braces: one file per partition value is " +
          "PartitionedMerge.merge (merge() in Python), not Merger.merge"
      )
    val sourcePath = PathArgument.parse(source, "source")
    val sourceFs = sourcePath.getFileSystem(conf)
    val sourceDir = sourceFs.makeQualified(sourcePath)
    val destination = Destination.of(PathArgument.parse(target, "target"), conf)
    if (targetWithin(sourceFs, sourceDir, destination))
      throw new InvalidLayoutException(
        s"target ${destination.target} lies inside the source $sourceDir, or is it: choose a target outside the " +
          "source directory"
      )
    val (dialect, lineBreaks) = readOptions(options, s"the merge into ${destination.target}")
    val request = MergeRequest(
      DataFileSystem.of(sourceFs),
      sourceDir,
      headers = options.header,
      dialect = dialect,
      consumable = options.deleteSource,
      lineBreaks = Some(lineBreaks)
    )
    val result = MergePipeline.run(request, destination, options, progress)
    if (options.deleteSource) deleteSource(sourceFs, sourceDir, destination)
    result
  }

  /**
   * The CSV dialect and the line-break policy `options` give, or the error that names the option (`where` says
   * for what): checked once for a set of files too, before any of them is merged.
   */
  private[sparkmerge] def readOptions(options: MergeOptions, where: String): (CsvDialect, LineBreaks) =
    (
      CsvDialect.parse(options.partOptions, where),
      LineBreaks.parse(options.missingNewline, lineSeparator(options), where)
    )

  private def lineSeparator(options: MergeOptions): Option[String] =
    options.partOptions.collectFirst { case (key, value) if key.equalsIgnoreCase("lineSep") => value }

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
