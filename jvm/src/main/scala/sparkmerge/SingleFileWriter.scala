package sparkmerge

import org.apache.spark.sql.{DataFrame, SaveMode}

import sparkmerge.pipeline.MergePipeline
import sparkmerge.publish.{Destination, ShutdownCleanup}
import sparkmerge.writer.SparkParts

/**
 * Writes a DataFrame as one file in a line-oriented format (csv, json, text): [[SparkMerge.write]] of one target.
 * Spark writes the parts, and the header, into a hidden directory beside the target
 * ([[sparkmerge.writer.SparkParts]]), the pipeline merges them like any other merge, and the directory is
 * removed whether that worked or not.
 */
private[sparkmerge] object SingleFileWriter {

  /** The write of `call`, whose target is the one file `target`. */
  def write(
      df: DataFrame,
      call: WriteCall,
      target: Targets.OneFile,
      copyAhead: Boolean,
      progress: MergeProgress
  ): MergeResult = {
    val spec = call.spec
    val destination = Destination.of(target.path, df.sparkSession.sparkContext.hadoopConfiguration)
    if (spec.mode == SaveMode.Ignore && destination.exists) MergeResult.skipped(destination.target.toString)
    else {
      val mergeOptions = MergeOptions(overwrite = spec.overwrite)
      destination.checkTarget(mergeOptions.overwrite)
      val work = destination.newWorkDirectory()
      ShutdownCleanup.around(destination.fs, work) {
        try {
          val request = SparkParts.write(df, spec, destination, work, mergeOptions.bufferBytes, copyAhead)
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
