package sparkmerge

/**
 * What a call did: the result of each file it wrote, in the order of the values, and the template they came of
 * (none for a call of one file, which has exactly one result).
 */
final case class MergeResults(template: Option[String], files: Seq[MergeResult]) {

  /** The one file's result, for a call of one target. */
  def single: MergeResult = {
    require(template.isEmpty && files.size == 1, s"$this is the result of a template, not of one file")
    files.head
  }

  /** For callers without Scala's collections (Java). */
  def filesAsJava: java.util.List[MergeResult] = java.util.Arrays.asList(files: _*)

  /** The template, or null for one file: for callers without Scala's Option. */
  def templateOrNull: String = template.orNull
}
