package sparkmerge.sql

import scala.util.Try

import org.apache.spark.sql.SQLContext
import org.apache.spark.sql.execution.SQLExecution
import org.apache.spark.sql.execution.command.CreateDataSourceTableAsSelectCommand

import sparkmerge.InvalidOptionException

/**
 * `saveAsTable` (and `CREATE TABLE ... USING sparkmerge AS SELECT`) reaches the data source as a plain write to
 * the table's location, with nothing in the options to tell it from `.save(path)`; Spark registers the table once
 * the write returns, as a `sparkmerge` table that no reader can read. The command that runs is what tells: the
 * query execution of this thread's SQL execution, the same on Spark 3.5 and 4, classic or Connect.
 */
private[sql] object TableWrites {

  /** Refuses the write, before anything is written, where it is the body of a table's creation. */
  def refuse(sqlContext: SQLContext, format: String): Unit =
    creating(sqlContext).foreach { table =>
      throw new InvalidOptionException(
        s"format('sparkmerge') writes one file, which cannot be the table $table: write it with " +
          s".save('<path>/file.$format'), then CREATE TABLE $table USING $format LOCATION '<path>'"
      )
    }

  private def creating(sqlContext: SQLContext): Option[String] =
    for {
      id <- Option(sqlContext.sparkContext.getLocalProperty(SQLExecution.EXECUTION_ID_KEY))
      execution <- Try(id.toLong).toOption.flatMap(i => Option(SQLExecution.getQueryExecution(i)))
      table <- execution.logical.collectFirst { case c: CreateDataSourceTableAsSelectCommand => c.table.identifier }
    } yield table.unquotedString
}
