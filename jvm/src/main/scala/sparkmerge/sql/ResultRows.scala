package sparkmerge.sql

import org.apache.spark.sql.Row
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.types.{IntegerType, LongType, StringType, StructType}
import org.apache.spark.unsafe.types.UTF8String

import sparkmerge.MergeResult

/**
 * A [[MergeResult]] as one row, for the clients that reach the engine through SQL: the procedure's answer and
 * the data source's read-back. Columns in snake case, as SQL names them; Python maps them to its MergeResult.
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

  def row(result: MergeResult): Row =
    Row(result.target, result.files, result.bytes, result.strategy, result.millis, result.reason, result.bytesAhead)

  def internalRow(result: MergeResult): InternalRow =
    InternalRow(
      UTF8String.fromString(result.target),
      result.files,
      result.bytes,
      UTF8String.fromString(result.strategy),
      result.millis,
      UTF8String.fromString(result.reason),
      result.bytesAhead
    )
}
