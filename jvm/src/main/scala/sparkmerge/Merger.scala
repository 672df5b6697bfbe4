package sparkmerge

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

/**
 * Merges the part files of a directory into one file, on any Hadoop file system.
 *
 * {{{
 * import sparkmerge.{Merger, MergeOptions}
 * Merger.merge("hdfs:///jobs/recs/parts", "hdfs:///exports/recommendations.csv",
 *   MergeOptions(header = true), spark.sparkContext.hadoopConfiguration)
 * }}}
 *
 * The data flows one way: list the parts, plan, copy into a hidden file beside the target, check its length,
 * publish it with one rename, and only then, if asked, delete the source. Any failure before the rename
 * removes the hidden file and leaves the target and the sources as they were.
 */
object Merger {
  private val log = LoggerFactory.getLogger(getClass)

  def merge(
      source: String,
      target: String,
      options: MergeOptions = MergeOptions(),
      conf: Configuration = new Configuration()
  ): MergeResult = {
    val sourceDir = qualify(new Path(source), conf)
    val targetPath = qualify(new Path(target), conf)
    checkApart(sourceDir, targetPath)
    val sourceFs = sourceDir.getFileSystem(conf)
    val targetFs = targetPath.getFileSystem(conf)

    Publisher.checkTarget(targetFs, targetPath, options.overwrite)
    val parts = PartDiscovery.list(DataFileSystem.of(sourceFs), sourceDir)
    val plan = MergePlanner.plan(DataFileSystem.of(sourceFs), parts, targetPath, options)
    val result = execute(plan, sourceFs, targetFs, options)

    if (options.deleteSource && !sourceFs.delete(sourceDir, true))
      log.warn(s"sparkmerge: merged into $targetPath, but could not delete the source $sourceDir")
    result
  }

  /** Runs a plan: the one place where data moves and the target changes. */
  def execute(plan: MergePlan, sourceFs: FileSystem, targetFs: FileSystem, options: MergeOptions): MergeResult = {
    val started = System.nanoTime()
    val target = plan.target
    val temporary = Publisher.temporaryPath(target)
    log.debug(plan.describe)
    try {
      targetFs.mkdirs(target.getParent)
      val out = DataFileSystem.of(targetFs).create(temporary, false, options.bufferBytes)
      val written =
        try StreamCopy.run(DataFileSystem.of(sourceFs), plan, out, options.bufferBytes)
        finally out.close()
      checkLength(plan, targetFs, temporary, written)
      Publisher.publish(targetFs, temporary, target, options.overwrite)
      val result = MergeResult(target.toString, plan.files, written, plan.strategy.name, elapsedMillis(started))
      log.info(
        f"sparkmerge: merged ${result.files} files, ${result.bytes} bytes, into $target by ${result.strategy} " +
          f"in ${result.seconds}%.2f s (${result.mibPerSecond}%.0f MiB/s)"
      )
      result
    } catch {
      case e: Throwable =>
        Publisher.discard(targetFs, temporary)
        e match {
          case known: SparkMergeException => throw known
          case io: IOException            =>
            throw new MergeFailedException(
              s"merging into $target failed, the target and the sources are unchanged: ${io.getMessage}",
              io
            )
          case other => throw other
        }
    }
  }

  private def checkLength(plan: MergePlan, fs: FileSystem, temporary: Path, written: Long): Unit = {
    val onDisk = fs.getFileStatus(temporary).getLen
    val expected = plan.expectedBytes.getOrElse(written)
    if (onDisk != written || onDisk != expected)
      throw new IOException(
        s"the merged file has $onDisk bytes, but $written were written and the parts add up to $expected"
      )
  }

  private def qualify(path: Path, conf: Configuration): Path =
    path.getFileSystem(conf).makeQualified(path)

  /** The target may not be the source, nor lie inside it, where deleting the source would delete it too. */
  private def checkApart(source: Path, target: Path): Unit = {
    val (s, t) = (source.toUri.toString.stripSuffix("/"), target.toUri.toString)
    if (t == s || t.startsWith(s + "/"))
      throw new InvalidLayoutException(
        s"target $target lies inside the source $source: choose a target outside the source directory"
      )
  }

  private def elapsedMillis(started: Long): Long = (System.nanoTime() - started) / 1000000L
}
