package sparkmerge

import org.apache.hadoop.fs.Path

import sparkmerge.format.{ByteOrderMarks, CsvDialect}
import sparkmerge.plan.LineBreaks
import sparkmerge.writer.WriteSpec

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
    private[sparkmerge] val lineBreaks: LineBreaks,
    private[sparkmerge] val mark: Boolean
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
    // `bom` is of the merged file, not of how the parts were written: Spark's writers have no such option.
    val (bom, partOptions) = options.partOptions.partition(_._1.equalsIgnoreCase("bom"))
    val mark = bom.values.lastOption.exists(WriteSpec.flag("bom", _, where))
    val dialect = CsvDialect.parse(partOptions, where, options.header)
    if (mark) ByteOrderMarks.checkUtf8(partOptions, where)
    val lineSep = partOptions.collectFirst { case (key, value) if key.equalsIgnoreCase("lineSep") => value }
    val lineBreaks = LineBreaks.parse(options.missingNewline, lineSep, where)
    new MergeCall(sourcePath, targets, options, dialect, lineBreaks, mark)
  }
}
