package sparkmerge.partitions

import scala.util.matching.Regex

import sparkmerge.InvalidOptionException

/**
 * A target path with the names of partition columns in braces, `exports/{country}/recs.csv`: one file per
 * partition value, at the path the value fills in. The values are put in as Spark wrote them in its directory
 * names (`country=a%2Fb` gives `a%2Fb`, a null gives `__HIVE_DEFAULT_PARTITION__`): Spark's own escaping of `/`,
 * `=`, `%`, `'`, control characters and the like, so that no value can make a path leave its folder.
 */
final case class PathTemplate(text: String, names: Seq[String]) {

  /** Refuses a template that does not name each of `columns` (of `what`) once, and nothing else. */
  def checkNames(columns: Seq[String], what: String): Unit =
    if (names.toSet != columns.toSet)
      throw new InvalidOptionException(
        s"target $text names {${names.mkString("}, {")}}, but $what are ${columns.mkString(", ")}: name each " +
          s"of them once, for instance {${columns.mkString("}/{")}}"
      )

  /**
   * A path beside the files the template makes, to work beside: the directory before the first placeholder,
   * and in it the name that holds the placeholder, its braces left out (`exports/{country}/recs.csv` gives
   * `exports/country`).
   */
  def anchor: String = {
    val fixed = text.substring(0, text.indexOf('{'))
    val directory = fixed.substring(0, fixed.lastIndexOf('/') + 1)
    val rest = text.substring(directory.length)
    val name = rest.takeWhile(_ != '/').filterNot(c => c == '{' || c == '}')
    directory + name
  }

  def fill(values: Map[String, String]): String =
    PathTemplate.Placeholder.replaceAllIn(text, m => Regex.quoteReplacement(values(m.group(1))))
}

object PathTemplate {
  private val Placeholder = """\{([A-Za-z_][A-Za-z0-9_]*)\}""".r

  /** Whether `text` names a partition column in braces. */
  def isTemplate(text: String): Boolean = Placeholder.findFirstIn(text).isDefined

  def parse(text: String): PathTemplate = {
    val names = Placeholder.findAllMatchIn(text).map(_.group(1)).toVector
    if (names.isEmpty)
      throw new InvalidOptionException(
        s"target $text names no partition column: write it as exports/{country}.csv to get one file per value"
      )
    val rest = Placeholder.replaceAllIn(text, "")
    if (rest.contains('{') || rest.contains('}'))
      throw new InvalidOptionException(
        s"target $text has a brace that is not around a column name: only {column} is filled in"
      )
    PathTemplate(text, names.distinct)
  }
}
