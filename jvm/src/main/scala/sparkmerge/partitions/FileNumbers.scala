package sparkmerge.partitions

import scala.collection.mutable

import org.apache.spark.sql.{DataFrame, Row}
import org.apache.spark.sql.types.LongType

import sparkmerge.{InvalidOptionException, MergeFailedException}

/**
 * Numbered files of at most N records, in row order (`recs-{n}.csv`): each row gets the number of its file,
 * 1, 2, ..., counted separately for each partition value, as a column the write partitions by.
 *
 * A row's number depends on how many rows of its value come before it in all earlier Spark partitions, so the
 * DataFrame is read twice from one RDD: first to count the rows of each value in each Spark partition, then to
 * number them. The same RDD keeps the same partitions and reuses its shuffle output; a DataFrame that gives
 * other rows the second time (a random filter, say) is caught where a partition has more rows than counted.
 */
private[sparkmerge] object FileNumbers {

  /** Spark's own name for the writer option, which splits each task's output; here it splits each file. */
  val MaxRecordsOption = "maxRecordsPerFile"

  /** The placeholder of the file number in a target. */
  val Placeholder = "n"

  /**
   * The name of the partition column that holds the file number while Spark writes, unless the DataFrame has a
   * column of that name ([[InternalColumns]]).
   */
  val Column = "sparkmerge_file_number"

  /** The caller's limit, if any: a whole number of at least 1. */
  def limit(options: Map[String, String], target: String): Option[Long] =
    options.collectFirst { case (key, value) if key.equalsIgnoreCase(MaxRecordsOption) => value }.map { value =>
      scala.util.Try(value.trim.toLong).toOption.filter(_ >= 1).getOrElse {
        throw new InvalidOptionException(
          s"$MaxRecordsOption must be a whole number of records of at least 1, not '$value', for $target"
        )
      }
    }

  /**
   * Refuses a template that the partition columns and the limit do not fill exactly: each placeholder a column
   * or `{n}` for a limit, each column and the limit named once.
   */
  def checkTemplate(template: PathTemplate, partitionBy: Seq[String], maxRecords: Option[Long]): Unit = {
    val text = template.text
    if (partitionBy.contains(Placeholder))
      throw new InvalidOptionException(
        s"{$Placeholder} is the file number in $text, not a column: rename the column '$Placeholder' before " +
          "partitioning by it"
      )
    if (partitionBy.isEmpty && maxRecords.isEmpty)
      throw new InvalidOptionException(
        s"path $text has {${template.names.mkString("}, {")}} in it, filled in for many files: give the partition " +
          s"columns, or $MaxRecordsOption for numbered files {$Placeholder}"
      )
    if (maxRecords.isEmpty && template.names.contains(Placeholder))
      throw new InvalidOptionException(
        s"path $text has {$Placeholder}, the number of a file of at most N rows, but no $MaxRecordsOption: give " +
          s"max_records_per_file=N, or take {$Placeholder} out"
      )
    template.checkNames(
      partitionBy ++ maxRecords.map(_ => Placeholder),
      s"the partition columns and {$Placeholder} for $MaxRecordsOption"
    )
  }

  /** Zero-padded, so that the files sort in their order: 00001, 00002, ... */
  def name(number: String): String = f"${number.toLong}%05d"

  /** `df` with `column`: the number of the file each row goes to, per value of `columns`. */
  def number(df: DataFrame, columns: Seq[String], maxRecords: Long, column: String): DataFrame = {
    val rows = df.rdd
    val at = columns.map(df.schema.fieldIndex)
    val counted = rows
      .mapPartitionsWithIndex { (partition, it) =>
        val counts = mutable.LinkedHashMap.empty[Seq[Any], Long]
        it.foreach { row =>
          val key = at.map(row.get)
          counts(key) = counts.getOrElse(key, 0L) + 1
        }
        counts.iterator.map { case (key, count) => (partition, key, count) }
      }
      .collect()
    // Where each value's rows start in each partition: the rows of that value in the partitions before it.
    val before = mutable.HashMap.empty[Seq[Any], Long]
    val starts = counted
      .sortBy(_._1)
      .map { case (partition, key, count) =>
        val start = before.getOrElse(key, 0L)
        before(key) = start + count
        ((partition, key), (start, count))
      }
      .toMap
    val shipped = df.sparkSession.sparkContext.broadcast(starts)
    val numbered = rows.mapPartitionsWithIndex { (partition, it) =>
      val seen = mutable.HashMap.empty[Seq[Any], Long]
      it.map { row =>
        val key = at.map(row.get)
        val index = seen.getOrElse(key, 0L)
        seen(key) = index + 1
        val (start, count) = shipped.value.getOrElse((partition, key), (0L, 0L))
        if (index >= count)
          throw new MergeFailedException(
            s"the DataFrame gave partition $partition more rows the second time it was read than the first: it " +
              s"is not deterministic; cache() it before writing files of at most $maxRecords records"
          )
        Row.fromSeq(row.toSeq :+ ((start + index) / maxRecords + 1))
      }
    }
    df.sparkSession.createDataFrame(numbered, df.schema.add(column, LongType, nullable = false))
  }
}
