package sparkmerge

import org.apache.spark.sql.{DataFrame, SaveMode}

import sparkmerge.pipeline.MergePipeline
import sparkmerge.publish.{Destination, ShutdownCleanup}
import sparkmerge.writer.{SparkParts, WriteSpec}

/**
 * Writes a DataFrame as one file in a line-oriented format (csv, json, text): [[SparkMerge.write]] of one target.
 * Spark writes the parts, and the header, into a hidden directory beside the target
 * ([[sparkmerge.writer.SparkParts]]), the pipeline merges them like any other merge, and the directory is
 * removed whether that worked or not.
 */
private[sparkmerge] object SingleFileWriter {

  /** `spark.sparkmerge.copyAhead=false` turns off copying while Spark writes; the file is the same. */
  val CopyAheadConf: String = WriteSpec.CopyAheadConf

  def write(
      df: DataFrame,
      path: String,
      format: String = "csv",
      mode: String = "errorifexists",
      options: Map[String, String] = Map.empty,
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = {
    val call = WriteCall(path, format, mode, options)
    call.targets match {
      case one: Targets.OneFile => write(df, call, one, progress)
      case _                    =>
        throw new InvalidOptionException(
          s"path $path: files per partition value ({column} in the path) or numbered files ({n} with " +
            "maxRecordsPerFile) are SparkMerge.write, write_single(..., partition_by=..., max_records_per_file=...) " +
            "in Python"
        )
    }
  }

  /** The write of `call`, whose target is the one file `target`. */
  def write(df: DataFrame, call: WriteCall, target: Targets.OneFile, progress: MergeProgress): MergeResult = {
    val copyAhead = WriteSpec.flag(CopyAheadConf, df.sparkSession.conf.get(CopyAheadConf, "true"), target.text)
    val spec = call.spec.copy(copyAhead = copyAhead)
    val destination = Destination.of(target.path, df.sparkSession.sparkContext.hadoopConfiguration)
    if (spec.mode == SaveMode.Ignore && destination.exists) MergeResult.skipped(destination.target.toString)
    else {
      val mergeOptions = MergeOptions(overwrite = spec.overwrite)
      destination.checkTarget(mergeOptions.overwrite)
      val work = destination.newWorkDirectory()
      ShutdownCleanup.around(destination.fs, work) {
        try {
          val request = SparkParts.write(df, spec, destination, work, mergeOptions.bufferBytes)
          MergePipeline.run(request, destination, mergeOptions, progress)
        } catch {
          // Another writer published the file meanwhile: what ignore does with a file that exists.
          case _: TargetExistsException if spec.mode == SaveMode.Ignore =>
            MergeResult.skipped(destination.target.toString)
        } finally SparkParts.remove(destination, work)
      }
    }
  }
}
