package sparkmerge

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}
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
      conf: Configuration = new Configuration(),
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = {
    val sourceDir = qualify(new Path(source), conf)
    val targetPath = qualify(new Path(target), conf)
    checkApart(sourceDir, targetPath)
    val sourceFs = sourceDir.getFileSystem(conf)
    val targetFs = targetPath.getFileSystem(conf)

    Publisher.checkTarget(targetFs, targetPath, options.overwrite)
    val parts = PartDiscovery.list(DataFileSystem.of(sourceFs), sourceDir)
    val plan = MergePlanner.plan(DataFileSystem.of(sourceFs), targetFs, parts, targetPath, options)
    val result = execute(plan, sourceFs, targetFs, options, progress)

    if (options.deleteSource) deleteSource(sourceFs, sourceDir, targetPath)
    result
  }

  /**
   * Runs a plan: the one place where data moves and the target changes. `ahead` is what [[CopyAhead]] copied
   * while the parts were written; it is used only if it fits the plan, and removed otherwise.
   */
  def execute(
      plan: MergePlan,
      sourceFs: FileSystem,
      targetFs: FileSystem,
      options: MergeOptions,
      progress: MergeProgress = new MergeProgress(),
      ahead: Option[CopiedAhead] = None
  ): MergeResult = {
    val started = System.nanoTime()
    log.debug(plan.describe)
    val headStart = usable(ahead, plan, sourceFs, targetFs)
    progress.start(plan.target.toString, plan.files, plan.inputBytes)
    val (done, bytes) = plan.strategy match {
      case Strategy.Copy =>
        val copying = headStart.fold(plan) { copied =>
          plan.copy(reason =
            s"${plan.reason}; ${copied.pieces.size} of ${plan.pieces.size} pieces copied while Spark wrote"
          )
        }
        (copying, copy(copying, sourceFs, targetFs, options, progress, headStart))
      case Strategy.Concat =>
        ConcatMerge.run(sourceFs, plan, options.overwrite) match {
          case Right(bytes)  => (plan, bytes)
          case Left(refusal) =>
            log.warn(s"sparkmerge: HDFS refused to concat into ${plan.target} ($refusal); copying instead")
            val copying = plan.copy(strategy = Strategy.Copy, reason = s"concat refused: $refusal")
            (copying, copy(copying, sourceFs, targetFs, options, progress))
        }
    }
    progress.finish()
    val result = MergeResult(
      plan.target.toString,
      done.files,
      bytes,
      done.strategy.name,
      elapsedMillis(started),
      done.reason,
      headStart.fold(0L)(_.bytes)
    )
    log.info(
      f"sparkmerge: merged ${result.files} files, ${result.bytes} bytes, into ${result.target} by " +
        f"${result.strategy} in ${result.seconds}%.2f s (${result.mibPerSecond}%.0f MiB/s)" +
        (if (result.reason.isEmpty) "" else s"; ${result.reason}")
    )
    result
  }

  /** The copy strategy, into a hidden file beside the target; returns the merged length once it is published. */
  private def copy(
      plan: MergePlan,
      sourceFs: FileSystem,
      targetFs: FileSystem,
      options: MergeOptions,
      progress: MergeProgress,
      ahead: Option[CopiedAhead] = None
  ): Long = {
    val target = plan.target
    val temporary = ahead.fold(Publisher.temporaryPath(target))(_.temporary)
    try {
      targetFs.mkdirs(target.getParent)
      val written = (DataFileSystem.of(sourceFs), DataFileSystem.of(targetFs)) match {
        case (local: RawLocalFileSystem, _: RawLocalFileSystem) =>
          LocalCopy.run(local, plan, temporary, options.bufferBytes, progress, ahead)
        case (from, to) =>
          val out = to.create(temporary, false, options.bufferBytes)
          try StreamCopy.run(from, plan, out, options.bufferBytes, progress)
          finally out.close()
      }
      checkLength(plan, targetFs, temporary, written)
      Publisher.publish(targetFs, temporary, target, options.overwrite)
      written
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

  /** The copy made ahead if the plan can go on from it; otherwise it is deleted, and the merge copies it all. */
  private def usable(
      ahead: Option[CopiedAhead],
      plan: MergePlan,
      sourceFs: FileSystem,
      targetFs: FileSystem
  ): Option[CopiedAhead] =
    ahead.flatMap { copied =>
      val fits = (DataFileSystem.of(sourceFs), DataFileSystem.of(targetFs)) match {
        case (local: RawLocalFileSystem, _: RawLocalFileSystem) => copied.fits(plan, local)
        case _                                                  => false
      }
      if (fits) Some(copied)
      else {
        log.info(s"sparkmerge: the ${copied.pieces.size} pieces copied ahead do not start the plan; copying all")
        Publisher.discard(targetFs, copied.temporary)
        None
      }
    }

  // The target is in place by now: a source that cannot go (a snapshot, permissions) is a warning, not a failure.
  private def deleteSource(fs: FileSystem, source: Path, target: Path): Unit = {
    val why =
      try if (fs.delete(source, true)) None else Some("the file system said no")
      catch { case e: IOException => Some(e.getMessage.linesIterator.toSeq.headOption.getOrElse("")) }
    why.foreach(reason =>
      log.warn(s"sparkmerge: merged into $target, but could not delete the source $source: $reason")
    )
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
