package sparkmerge

import org.apache.spark.sql.{DataFrame, SparkSession}

import sparkmerge.partitions.{PartitionedMerge, PartitionedWriter}

/**
 * The door the Python package walks through. A class with a no-argument constructor, loaded through the
 * context class loader, so that a missing jar is one clear ClassNotFoundException in Python; plain parameters
 * only, since py4j sees neither Scala default arguments nor Scala collections.
 */
class PythonAPI {

  /** The counters of the merge this instance runs; Python polls them from another thread for a progress bar. */
  val progress: MergeProgress = new MergeProgress()

  def merge(
      spark: SparkSession,
      source: String,
      target: String,
      header: Boolean,
      overwrite: Boolean,
      deleteSource: Boolean,
      missingNewline: String,
      partOptions: java.util.Map[String, String]
  ): MergeResult =
    Merger.merge(
      source,
      target,
      PythonAPI.options(header, overwrite, deleteSource, missingNewline, partOptions),
      spark.sparkContext.hadoopConfiguration,
      progress
    )

  /** [[sparkmerge.partitions.PartitionedMerge]]: one result per file, in the order of the values. */
  def mergePartitions(
      spark: SparkSession,
      source: String,
      targetTemplate: String,
      header: Boolean,
      overwrite: Boolean,
      deleteSource: Boolean,
      missingNewline: String,
      partOptions: java.util.Map[String, String]
  ): java.util.List[MergeResult] =
    java.util.Arrays.asList(
      PartitionedMerge.merge(
        source,
        targetTemplate,
        PythonAPI.options(header, overwrite, deleteSource, missingNewline, partOptions),
        spark.sparkContext.hadoopConfiguration,
        progress
      ): _*
    )

  def writeSingle(
      df: DataFrame,
      path: String,
      format: String,
      mode: String,
      options: java.util.Map[String, String]
  ): MergeResult = SingleFileWriter.write(df, path, format, mode, PythonAPI.scalaMap(options), progress)

  /** [[sparkmerge.partitions.PartitionedWriter]]: one result per file, in the order of the values. */
  def writePartitioned(
      df: DataFrame,
      template: String,
      format: String,
      mode: String,
      options: java.util.Map[String, String],
      partitionBy: java.util.List[String]
  ): java.util.List[MergeResult] = {
    val columns = Seq.newBuilder[String]
    partitionBy.forEach(c => columns += c)
    val results =
      PartitionedWriter.write(df, template, format, mode, PythonAPI.scalaMap(options), columns.result(), progress)
    java.util.Arrays.asList(results: _*)
  }
}

object PythonAPI {
  private def options(
      header: Boolean,
      overwrite: Boolean,
      deleteSource: Boolean,
      missingNewline: String,
      partOptions: java.util.Map[String, String]
  ): MergeOptions =
    MergeOptions(
      header = header,
      overwrite = overwrite,
      deleteSource = deleteSource,
      partOptions = scalaMap(partOptions),
      missingNewline = missingNewline
    )

  private def scalaMap(options: java.util.Map[String, String]): Map[String, String] = {
    val scala = Map.newBuilder[String, String]
    options.forEach((key, value) => scala += key -> value)
    scala.result()
  }
}
