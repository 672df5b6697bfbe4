package sparkmerge

import org.apache.hadoop.fs.Path

import sparkmerge.format.CsvDialect
import sparkmerge.plan.LineBreaks

/**
 * A merge of a directory Spark (or any job) wrote, checked whole before any file is read: the source, one target
 * or a template of many, and the options with the CSV dialect and the line-break policy they give.
 *
 * {{{
 * SparkMerge.merge(MergeCall("jobs/recs", "exports/recs.csv", MergeOptions(header = true)), conf)
 * }}}
 */
final class MergeCall private (
    val source: Path,
    val targets: Targets,
    val options: MergeOptions,
    private[sparkmerge] val dialect: CsvDialect,
    private[sparkmerge] val lineBreaks: LineBreaks
)

object MergeCall {

  /** @throws SparkMergeException what is wrong with the call, naming the option and the fix */
  def apply(source: String, target: String, options: MergeOptions = MergeOptions()): MergeCall = {
    val sourcePath = PathArgument.parse(source, "source")
    val targets = Targets.parse(target, "target")
    val where = targets match {
      case _: Targets.Template => s"the merges into $target"
      case _                   => s"the merge into $target"
    }
    val dialect = CsvDialect.parse(options.partOptions, where)
    val lineSep = options.partOptions.collectFirst { case (key, value) if key.equalsIgnoreCase("lineSep") => value }
    new MergeCall(sourcePath, targets, options, dialect, LineBreaks.parse(options.missingNewline, lineSep, where))
  }
}
