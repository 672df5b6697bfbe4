package sparkmerge.plan

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.format.CsvDialect
import sparkmerge.parts.Part

/**
 * What a merge is asked to join, before anything is listed: the one input of the pipeline, whoever calls it.
 *
 * @param fs         the file system the parts are read through (the raw one on local disk)
 * @param directory  the directory of the parts
 * @param leading    files that go first, whole: the DataFrame writer's rendered header
 * @param allowEmpty a directory without data files is a valid input, as for a DataFrame with no rows
 * @param headers    every part starts with the same header record: keep the first part's only
 * @param dialect    how the parts' CSV records end, to find the header record
 * @param consumable the parts may disappear into the target (concat)
 * @param lineBreaks what to do where a part's last line has no line break; None for parts Spark just wrote
 * @param resumable  the start of the merged file, written while the parts were: used if the plan starts with it
 * @param mark       put UTF-8's byte-order mark first, where the parts do not start with it (`bom`)
 */
private[sparkmerge] final case class MergeRequest(
    fs: FileSystem,
    directory: Path,
    leading: Vector[Part] = Vector.empty,
    allowEmpty: Boolean = false,
    headers: Boolean = false,
    dialect: CsvDialect = CsvDialect.Default,
    consumable: Boolean = false,
    lineBreaks: Option[LineBreaks] = None,
    resumable: Option[Piece.Resumed] = None,
    mark: Boolean = false
) {

  /** Refuses `header` and `bom`, which only text parts take, for parts of `format`. */
  def onlyText(format: String): Unit =
    Seq("header" -> headers, "bom" -> mark).collectFirst { case (option, true) => option }.foreach { option =>
      throw new sparkmerge.InvalidOptionException(
        s"$option is an option of CSV and text parts, and the parts of $directory are $format: merge without $option"
      )
    }
}
