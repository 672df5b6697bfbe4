package sparkmerge.sql

import org.apache.spark.sql.Row
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.types.{IntegerType, LongType, StringType, StructType}
import org.apache.spark.unsafe.types.UTF8String

import sparkmerge.{MergeResult, MergeResults}

/**
 * [[MergeResults]] as a row per file, for the clients that reach the engine through SQL: the procedure's answer
 * and the data source's read-back. Columns in snake case, as SQL names them; Python maps them to its results.
 * `template` is the call's template on every row, or NULL for a call of one file.
 */
object ResultRows {

  val Schema: StructType = new StructType()
    .add("target", StringType, nullable = false)
    .add("files", IntegerType, nullable = false)
    .add("bytes", LongType, nullable = false)
    .add("strategy", StringType, nullable = false)
    .add("millis", LongType, nullable = false)
    .add("reason", StringType, nullable = false)
    .add("bytes_ahead", LongType, nullable = false)
    .add("template", StringType, nullable = true)

  def rows(results: MergeResults): Seq[Row] = results.files.map(row(_, results.templateOrNull))

  def internalRows(results: MergeResults): Seq[InternalRow] =
    results.files.map(internalRow(_, results.template.map(UTF8String.fromString).orNull))

  private def row(result: MergeResult, template: String): Row =
    Row(
      result.target,
      result.files,
      result.bytes,
      result.strategy,
      result.millis,
      result.reason,
      result.bytesAhead,
      template
    )

  private def internalRow(result: MergeResult, template: UTF8String): InternalRow =
    InternalRow(
      UTF8String.fromString(result.target),
      result.files,
      result.bytes,
      UTF8String.fromString(result.strategy),
      result.millis,
      UTF8String.fromString(result.reason),
      result.bytesAhead,
      template
    )
}
