package sparkmerge

import org.apache.hadoop.conf.Configuration
import org.apache.spark.sql.DataFrame

import sparkmerge.partitions.{PartitionedMerge, PartitionedWriter}
import sparkmerge.writer.WriteSpec

/**
 * The one door of the engine: a call, checked whole when it is made ([[MergeCall]], [[WriteCall]]), then one
 * file or a file per value of a template. Python, the command line, the data source and the procedure all come
 * in here.
 *
 * {{{
 * import sparkmerge.{SparkMerge, MergeCall, MergeOptions, WriteCall}
 * SparkMerge.merge(MergeCall("hdfs:///jobs/recs", "hdfs:///exports/recs.csv", MergeOptions(header = true)),
 *   spark.sparkContext.hadoopConfiguration)
 * SparkMerge.write(df, WriteCall("exports/{country}.csv", options = Map("header" -> "true"),
 *   partitionBy = Seq("country")))
 * }}}
 */
object SparkMerge {

  /** Merges a directory of parts into one file, or a `partitionBy` directory into a file per value. */
  def merge(call: MergeCall, conf: Configuration, progress: MergeProgress = new MergeProgress()): MergeResults =
    call.targets match {
      case one: Targets.OneFile   => MergeResults(None, Seq(Merger.merge(call, one, conf, progress)))
      case many: Targets.Template => MergeResults(Some(many.text), PartitionedMerge.merge(call, many, conf, progress))
    }

  /** Writes `df` as one file, or as a file per partition value and number. */
  def write(df: DataFrame, call: WriteCall, progress: MergeProgress = new MergeProgress()): MergeResults = {
    val copyAhead = WriteSpec.copyAhead(df.sparkSession, call.targets.text)
    call.targets match {
      case one: Targets.OneFile   => MergeResults(None, Seq(SingleFileWriter.write(df, call, one, copyAhead, progress)))
      case many: Targets.Template => MergeResults(Some(many.text), PartitionedWriter.write(df, call, many, progress))
    }
  }
}
