package sparkmerge

import org.apache.spark.sql.{DataFrame, SaveMode}

import sparkmerge.partitions.{FileNumbers, PathTemplate}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.publish.{Destination, ShutdownCleanup}
import sparkmerge.writer.{SparkParts, WriteSpec}

/**
 * Writes a DataFrame as one file in a line-oriented format (csv, json, text): Spark writes the parts, and the
 * header, into a hidden directory beside the target ([[sparkmerge.writer.SparkParts]]), the pipeline merges
 * them like any other merge, and the directory is removed whether that worked or not.
 *
 * {{{
 * SingleFileWriter.write(df, "hdfs:///exports/recs.csv", "csv", "overwrite", Map("header" -> "true"))
 * }}}
 */
object SingleFileWriter {

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
    // maxRecordsPerFile alone only splits Spark's parts, which join into the same one file.
    if (PathTemplate.isTemplate(path))
      throw new InvalidOptionException(
        s"path $path: files per partition value ({column} in the path) or numbered files ({n} with " +
          s"${FileNumbers.MaxRecordsOption}) are PartitionedWriter.write, write_single(..., partition_by=..., " +
          "max_records_per_file=...) in Python"
      )
    val spec = WriteSpec.parse(path, format, mode, options, df.sparkSession.conf.get(CopyAheadConf, "true"))
    val destination = Destination.of(PathArgument.parse(path, "path"), df.sparkSession.sparkContext.hadoopConfiguration)
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
