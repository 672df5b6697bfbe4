package sparkmerge

import org.apache.hadoop.conf.Configuration
import org.apache.spark.sql.DataFrame

/**
 * The engine's door with a test's words: the call is made and checked as every user's is ([[MergeCall]],
 * [[WriteCall]]), and [[SparkMerge]] decides between one file and a template.
 */
object Calls {

  /** A merge into one file. */
  def merge(
      source: String,
      target: String,
      options: MergeOptions = MergeOptions(),
      conf: Configuration = new Configuration(),
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = SparkMerge.merge(MergeCall(source, target, options), conf, progress).single

  /** A merge of a `partitionBy` directory into the files of a template. */
  def mergeMany(
      source: String,
      template: String,
      options: MergeOptions = MergeOptions(),
      conf: Configuration = new Configuration(),
      progress: MergeProgress = new MergeProgress()
  ): Seq[MergeResult] = SparkMerge.merge(MergeCall(source, template, options), conf, progress).files

  /** A write of one file. */
  def write(
      df: DataFrame,
      path: String,
      format: String = "csv",
      mode: String = "errorifexists",
      options: Map[String, String] = Map.empty,
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = SparkMerge.write(df, WriteCall(path, format, mode, options), progress).single

  /** A write into the files of a template. */
  def writeMany(
      df: DataFrame,
      template: String,
      format: String = "csv",
      mode: String = "errorifexists",
      options: Map[String, String] = Map.empty,
      partitionBy: Seq[String] = Nil,
      progress: MergeProgress = new MergeProgress()
  ): Seq[MergeResult] = SparkMerge.write(df, WriteCall(template, format, mode, options, partitionBy), progress).files
}
