package sparkmerge.pipeline

import org.apache.hadoop.fs.FileSystem
import org.slf4j.LoggerFactory

import sparkmerge.{MergeOptions, MergeProgress, MergeResult}
import sparkmerge.concat.ConcatMerge
import sparkmerge.parts.PartDiscovery
import sparkmerge.plan.{MergePlan, MergePlanner, MergeRequest, ScratchFiles, Strategy}
import sparkmerge.publish.{Destination, Staged}

/**
 * The one way every merge runs, whoever asks (`Merger`, `SingleFileWriter`, the command line): discover the
 * parts, plan, execute the plan into something staged, publish it at the target, and say what happened.
 * Nothing reaches the target before the publish step, and a failure before it leaves target and sources as
 * they were.
 */
private[sparkmerge] object MergePipeline {
  private val log = LoggerFactory.getLogger(getClass)

  def run(
      request: MergeRequest,
      destination: Destination,
      options: MergeOptions,
      progress: MergeProgress
  ): MergeResult = {
    val plan = destination.unchanged {
      destination.checkTarget(options.overwrite)
      destination.cleanLeftovers()
      val parts = PartDiscovery.list(request.fs, request.directory, request.allowEmpty)
      MergePlanner.plan(request, parts, destination)
    }
    try execute(plan, request.fs, destination, options, progress)
    finally ScratchFiles.remove(request.fs, plan.scratch)
  }

  /** Executes and publishes a plan made for `destination`, its parts read through `source`. */
  def execute(
      plan: MergePlan,
      source: FileSystem,
      destination: Destination,
      options: MergeOptions,
      progress: MergeProgress
  ): MergeResult = {
    val started = System.nanoTime()
    log.debug(plan.describe)
    progress.start(plan.target.toString, plan.files, plan.inputBytes)
    val (ran, staged) = stage(plan, source, destination, options, progress)
    val published = staged.publish(options.overwrite)
    progress.finish()
    val lineBreaks = staged.lineBreaksAdded
    val added =
      (if (lineBreaks > 0)
         s"; a line break added after $lineBreaks ${if (lineBreaks == 1) "part" else "parts"} that had none"
       else "") + (if (published.isEmpty) "" else s"; $published")
    val result = MergeResult(
      plan.target.toString,
      ran.files,
      staged.length,
      ran.strategy.name,
      (System.nanoTime() - started) / 1000000L,
      ran.reason + added,
      ran.resumedBytes
    )
    val line =
      f"sparkmerge: merged ${result.files} files, ${result.bytes} bytes, into ${result.target} by " +
        f"${result.strategy} in ${result.seconds}%.2f s (${result.mibPerSecond}%.0f MiB/s)" +
        (if (result.reason.isEmpty) "" else s"; ${result.reason}")
    // A set of a thousand files logs one line for the set (ManyMerges), not a thousand.
    if (progress.inSet) log.debug(line) else log.info(line)
    result
  }

  /** The merged data, staged; with the plan that made it (a copy, where HDFS refused the planned concat). */
  private def stage(
      plan: MergePlan,
      source: FileSystem,
      destination: Destination,
      options: MergeOptions,
      progress: MergeProgress
  ): (MergePlan, Staged) =
    plan.strategy match {
      case Strategy.Copy | Strategy.ServerSide => (plan, destination.write(plan, source, options.bufferBytes, progress))
      case Strategy.Concat                     =>
        // Concat consumes the parts: the target is checked once more just before.
        destination.unchanged(destination.checkTarget(options.overwrite))
        val concatenated = destination.concatenated.toRight("the target is published by no rename")
        concatenated.flatMap(ConcatMerge.run(source, plan, progress, _)) match {
          case Right(staged) => (plan, staged)
          case Left(refusal) =>
            log.warn(s"sparkmerge: no concat into ${plan.target} ($refusal); copying instead")
            val copying = MergePlanner.copyInstead(plan, refusal)
            (copying, destination.write(copying, source, options.bufferBytes, progress))
        }
    }
}
