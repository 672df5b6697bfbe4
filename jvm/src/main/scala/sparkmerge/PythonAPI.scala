package sparkmerge

import org.apache.spark.sql.{DataFrame, SparkSession}

import sparkmerge.cli.Json

/**
 * The door the Python package walks through: [[SparkMerge]] with plain parameters, since py4j sees neither
 * Scala default arguments nor Scala collections. A class with a no-argument constructor, loaded through the
 * context class loader, so that a missing jar is one clear ClassNotFoundException in Python. A call answers its
 * results as the JSON object the command line prints: one py4j round trip, where reading the fields of each
 * result took seven, and the end of py4j's iterator over them more than ten (pyspark asks the JVM, class by class,
 * what its exception is).
 */
class PythonAPI {

  /** The counters of the call this instance runs; Python polls them from another thread for a progress bar. */
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
  ): String = {
    val options = MergeOptions(
      header = header,
      overwrite = overwrite,
      deleteSource = deleteSource,
      partOptions = PythonAPI.scalaMap(partOptions),
      missingNewline = missingNewline
    )
    Json.of(SparkMerge.merge(MergeCall(source, target, options), spark.sparkContext.hadoopConfiguration, progress))
  }

  def write(
      df: DataFrame,
      path: String,
      format: String,
      mode: String,
      options: java.util.Map[String, String],
      partitionBy: java.util.List[String]
  ): String = {
    val columns = Seq.newBuilder[String]
    partitionBy.forEach(c => columns += c)
    Json.of(
      SparkMerge.write(df, WriteCall(path, format, mode, PythonAPI.scalaMap(options), columns.result()), progress)
    )
  }
}

private object PythonAPI {
  def scalaMap(options: java.util.Map[String, String]): Map[String, String] = {
    val scala = Map.newBuilder[String, String]
    options.forEach((key, value) => scala += key -> value)
    scala.result()
  }
}
