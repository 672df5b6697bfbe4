package sparkmerge

import java.util.Locale

import sparkmerge.partitions.FileNumbers
import sparkmerge.writer.WriteSpec

/**
 * A DataFrame written as one file, or as a file per value, checked whole before Spark runs: the path (one
 * target, or a template with `{column}` and `{n}`), the format, the save mode, the writer options, the partition
 * columns and `maxRecordsPerFile`. Only what needs the DataFrame (that the columns are its own) is left to the
 * write.
 *
 * {{{
 * SparkMerge.write(df, WriteCall("exports/{country}.csv", options = Map("header" -> "true"),
 *   partitionBy = Seq("country")))
 * }}}
 */
final class WriteCall private (
    val targets: Targets,
    private[sparkmerge] val spec: WriteSpec,
    val partitionBy: Seq[String],
    val maxRecordsPerFile: Option[Long],
    private[sparkmerge] val templateChecked: Boolean
)

object WriteCall {

  /**
   * @param options the format's writer options, as `df.write.options(...)` takes them; `maxRecordsPerFile`
   *                among them makes numbered files `{n}`
   * @throws SparkMergeException what is wrong with the call, naming the option and the fix
   */
  def apply(
      path: String,
      format: String = "csv",
      mode: String = "errorifexists",
      options: Map[String, String] = Map.empty,
      partitionBy: Seq[String] = Nil
  ): WriteCall = {
    Options.checkValues(options, s"the write to $path")
    val targets = Targets.parse(path, "path")
    val maxRecords = FileNumbers.limit(options, path)
    partitionBy.find(c => c == null || c.isEmpty).foreach { _ =>
      throw new InvalidOptionException(s"a partition column of $path has no name: give column names")
    }
    // Columns that differ in case alone may be one column or two, as the session's case rule says: the write
    // decides them, then checks the template.
    val templateChecked = targets match {
      case _: Targets.OneFile if partitionBy.nonEmpty =>
        throw new InvalidOptionException(
          s"path $path names no partition column, but the write is partitioned by ${partitionBy.mkString(", ")}: " +
            s"a file per value needs the columns in the path, for instance {${partitionBy.mkString("}/{")}}.csv"
        )
      case Targets.Template(_, template)
          if partitionBy.map(_.toLowerCase(Locale.ROOT)).distinct.size == partitionBy.size =>
        FileNumbers.checkTemplate(template, partitionBy, maxRecords)
        true
      case _ => false
    }
    // For one file the limit only splits Spark's parts, which join into the same file; for a template it numbers
    // the files, and Spark never sees it.
    val (parts, numbered) = targets match {
      case _: Targets.OneFile => (options, None)
      case _                  => (options.filterNot(_._1.equalsIgnoreCase(FileNumbers.MaxRecordsOption)), maxRecords)
    }
    val spec = WriteSpec.parse(path, format, mode, parts)
    new WriteCall(targets, spec, partitionBy, numbered, templateChecked)
  }
}
