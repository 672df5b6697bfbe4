package sparkmerge.sql

import java.util.Collections

import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.connector.catalog.procedures.{BoundProcedure, ProcedureParameter, UnboundProcedure}
import org.apache.spark.sql.connector.read.{LocalScan, Scan}
import org.apache.spark.sql.types.{BooleanType, DataTypes, StringType, StructType}

import sparkmerge.{InvalidOptionException, MergeCall, MergeOptions, SparkMerge}

/**
 * `CALL sparkmerge.system.merge(source => 'dir', target => 'out.csv', header => true, overwrite => false,
 * delete_source => false, missing_newline => 'add', options => map('sep', ';'))`: the merge of the Python
 * `merge()` through [[SparkMerge.merge]], answering a row per file ([[ResultRows]]): one for one target, one for
 * each partition value of a target with `{column}` in it.
 */
object MergeProcedure extends UnboundProcedure with BoundProcedure {
  val Name: String = "merge"

  private val OptionsType = DataTypes.createMapType(StringType, StringType)

  override def name(): String = Name

  override def description(): String =
    "merges the part files of a directory into one file; answers one row: target, files, bytes, strategy, " +
      "millis, reason, bytes_ahead"

  override def bind(inputType: StructType): BoundProcedure = this

  override def isDeterministic: Boolean = false

  override def parameters(): Array[ProcedureParameter] = Array(
    ProcedureParameter.in("source", StringType).comment("the directory of part files").build(),
    ProcedureParameter.in("target", StringType).comment("the one file to write").build(),
    ProcedureParameter.in("header", BooleanType).defaultValue("false").build(),
    ProcedureParameter.in("overwrite", BooleanType).defaultValue("false").build(),
    ProcedureParameter.in("delete_source", BooleanType).defaultValue("false").build(),
    ProcedureParameter.in("missing_newline", StringType).defaultValue("'add'").build(),
    ProcedureParameter.in("options", OptionsType).defaultValue("CAST(NULL AS MAP<STRING, STRING>)").build()
  )

  override def call(input: InternalRow): java.util.Iterator[Scan] = {
    val names = parameters().map(_.name())
    // All but `options` have a value or a default: only an explicit NULL is missing.
    (0 until names.length - 1).filter(input.isNullAt).foreach { i =>
      throw new InvalidOptionException(s"${names(i)} must not be NULL in CALL sparkmerge.system.$Name")
    }
    val options = MergeOptions(
      header = input.getBoolean(2),
      overwrite = input.getBoolean(3),
      deleteSource = input.getBoolean(4),
      partOptions = if (input.isNullAt(6)) Map.empty else stringMap(input, 6),
      missingNewline = input.getUTF8String(5).toString
    )
    val conf = SparkSession.active.sparkContext.hadoopConfiguration
    val call = MergeCall(input.getUTF8String(0).toString, input.getUTF8String(1).toString, options)
    val results = SparkMerge.merge(call, conf)
    Collections.singletonList[Scan](Answer(ResultRows.internalRows(results).toArray)).iterator()
  }

  private def stringMap(input: InternalRow, i: Int): Map[String, String] = {
    val map = input.getMap(i)
    (0 until map.numElements()).map { k =>
      val key = map.keyArray().getUTF8String(k).toString
      if (map.valueArray().isNullAt(k))
        throw new InvalidOptionException(
          s"option '$key' of CALL sparkmerge.system.$Name has no value (NULL): give it one, or leave it out"
        )
      key -> map.valueArray().getUTF8String(k).toString
    }.toMap
  }

  private final case class Answer(rows: Array[InternalRow]) extends LocalScan {
    override def readSchema(): StructType = ResultRows.Schema
  }
}
