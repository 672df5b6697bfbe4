package sparkmerge.sql

import java.util.Locale

import org.apache.spark.rdd.RDD
import org.apache.spark.sql.{DataFrame, Row, SQLContext, SaveMode}
import org.apache.spark.sql.catalyst.util.CaseInsensitiveMap
import org.apache.spark.sql.execution.datasources.DataSourceUtils
import org.apache.spark.sql.sources.{
  BaseRelation,
  CreatableRelationProvider,
  DataSourceRegister,
  RelationProvider,
  TableScan
}
import org.apache.spark.sql.types.StructType

import sparkmerge.{InvalidOptionException, MergeResults, SparkMerge, WriteCall}

/**
 * `format("sparkmerge")`: the DataFrame writer of every Spark client (Scala, Java, R, SQL, and Python on Spark
 * Connect, which has no JVM of its own to call the engine in) writes ONE file through [[SparkMerge.write]]:
 *
 * {{{
 * df.write.format("sparkmerge").option("format", "csv").option("header", "true").mode("overwrite")
 *   .save("exports/recs.csv")
 * }}}
 *
 * `format` is the inner format (csv by default); every other option goes to it. `partitionBy("country")` with
 * `{country}` in the path, and `option("maxRecordsPerFile", n)` with `{n}`, write many files. `saveMode` names
 * the mode in write_single's words (`errorifexists`, `overwrite`, `ignore`, `append`) where a client would
 * rather not map them to Spark's (`.mode()` gives it otherwise). A write that gives `option("result", id)` leaves
 * its [[MergeResults]] in the driver, and `spark.read.format("sparkmerge").option("result", id).load()` reads them
 * back, a row per file: a write returns nothing to a Connect client.
 */
class SingleFileSource extends DataSourceRegister with CreatableRelationProvider with RelationProvider {

  override def shortName(): String = SingleFileSource.Name

  override def createRelation(
      sqlContext: SQLContext,
      mode: SaveMode,
      parameters: Map[String, String],
      data: DataFrame
  ): BaseRelation = {
    val options = SingleFileSource.originalKeys(parameters)
    val path = SingleFileSource.find(options, "path").getOrElse {
      throw new InvalidOptionException(
        "format('sparkmerge') writes one file and needs its path: .save('exports/out.csv')"
      )
    }
    val format = SingleFileSource.find(options, SingleFileSource.FormatOption).getOrElse("csv")
    TableWrites.refuse(sqlContext, format)
    val inner = options.filterNot { case (key, _) => SingleFileSource.OwnOptions(key.toLowerCase(Locale.ROOT)) }
    val saveMode = SingleFileSource.find(options, SingleFileSource.SaveModeOption).getOrElse(mode.name)
    // df.write.partitionBy(...) reaches a source like this one as an option of Spark's.
    val partitionBy = SingleFileSource
      .find(options, DataSourceUtils.PARTITIONING_COLUMNS_KEY)
      .map(DataSourceUtils.decodePartitioningColumns)
      .getOrElse(Nil)
    val results = SparkMerge.write(data, WriteCall(path, format, saveMode, inner, partitionBy))
    SingleFileSource.find(options, SingleFileSource.ResultOption).foreach(ResultBoard.post(_, results))
    new ResultRelation(sqlContext, results)
  }

  /** The read side gives back the result a write left under its id, and nothing else. */
  override def createRelation(sqlContext: SQLContext, parameters: Map[String, String]): BaseRelation = {
    val id = SingleFileSource.find(parameters, SingleFileSource.ResultOption).getOrElse {
      throw new InvalidOptionException(
        "spark.read.format('sparkmerge') reads back the result of a write: .option('result', <the write's id>)"
      )
    }
    val results = ResultBoard.get(id).getOrElse {
      throw new InvalidOptionException(
        s"no sparkmerge result '$id' in this driver: the write did not give .option('result', '$id'), " +
          s"or it ran on another driver, or more than ${ResultBoard.Capacity} writes came after it"
      )
    }
    new ResultRelation(sqlContext, results)
  }
}

object SingleFileSource {
  val Name: String = "sparkmerge"
  val FormatOption: String = "format"
  val ResultOption: String = "result"
  val SaveModeOption: String = "saveMode"

  /** Options of ours, not the inner format's: Spark passes the path among the options too. */
  private val OwnOptions =
    Set(
      "path",
      FormatOption,
      ResultOption,
      SaveModeOption.toLowerCase(Locale.ROOT),
      DataSourceUtils.PARTITIONING_COLUMNS_KEY.toLowerCase(Locale.ROOT)
    )

  /** The options as the caller spelled them (`lineSep`), where Spark hands them over lower-cased. */
  private def originalKeys(parameters: Map[String, String]): Map[String, String] = parameters match {
    case insensitive: CaseInsensitiveMap[String @unchecked] => insensitive.originalMap
    case other                                              => other
  }

  private def find(options: Map[String, String], key: String): Option[String] =
    options.collectFirst { case (k, v) if k.equalsIgnoreCase(key) => v }
}

/** A write's results as a relation of a row per file. */
private class ResultRelation(override val sqlContext: SQLContext, results: MergeResults)
    extends BaseRelation
    with TableScan {
  override def schema: StructType = ResultRows.Schema
  override def buildScan(): RDD[Row] = sqlContext.sparkContext.parallelize(ResultRows.rows(results), 1)
}
