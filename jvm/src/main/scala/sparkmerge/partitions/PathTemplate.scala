package sparkmerge.partitions

import scala.util.matching.Regex

import sparkmerge.InvalidOptionException

/**
 * A target path with the names of partition columns in braces, `exports/{country}/recs.csv`: one file per
 * partition value, at the path the value fills in. The values are put in as Spark wrote them in its directory
 * names (`country=a%2Fb` gives `a%2Fb`, a null gives `__HIVE_DEFAULT_PARTITION__`): Spark's own escaping of `/`,
 * `=`, `%`, `'`, control characters and the like, so that no value can make a path leave its folder.
 */
private[sparkmerge] final case class PathTemplate(text: String, names: Seq[String]) {

  /** Refuses a template that does not name each of `columns` (of `what`) once, and nothing else. */
  def checkNames(columns: Seq[String], what: String): Unit =
    if (names.toSet != columns.toSet)
      throw new InvalidOptionException(
        s"target $text names {${names.mkString("}, {")}}, but $what are ${columns.mkString(", ")}: name each " +
          s"of them once, for instance {${columns.mkString("}/{")}}"
      )

  /** The directory before the first placeholder, with its last `/` (empty for a template that starts with one). */
  def fixedDirectory: String = {
    val fixed = text.substring(0, text.indexOf('{'))
    fixed.substring(0, fixed.lastIndexOf('/') + 1)
  }

  /**
   * A path beside the files the template makes, to work beside: the directory before the first placeholder,
   * and in it the name that holds the placeholder, its braces left out (`exports/{country}/recs.csv` gives
   * `exports/country`).
   */
  def anchor: String = {
    val directory = fixedDirectory
    val name = text.substring(directory.length).takeWhile(_ != '/').filterNot(c => c == '{' || c == '}')
    directory + name
  }

  /**
   * The path of one value. A value that starts a name of the path with `.` has that `.` written `%2E`, the way
   * Spark escapes `/` and `%` in its directory names: `..` and `.` would leave the folder or stay in it, and a
   * name that starts with `.` is hidden from every reader. Spark writes `%` as `%25`, so no two values give one path.
   *
   * @throws InvalidOptionException the path would still not lie under [[fixedDirectory]], name by name
   */
  def fill(values: Map[String, String]): String = {
    val filled = PathTemplate.Placeholder.replaceAllIn(
      text,
      m => {
        val value = values(m.group(1))
        val startsName = m.start == 0 || text.charAt(m.start - 1) == '/'
        Regex.quoteReplacement(if (startsName && value.startsWith(".")) "%2E" + value.substring(1) else value)
      }
    )
    val names = filled.substring(fixedDirectory.length).split("/", -1)
    names.find(n => n.isEmpty || n == "." || n == "..").foreach { bad =>
      throw new InvalidOptionException(
        s"the values ${show(values)} make $text the path $filled, whose name '$bad' would leave or skip its " +
          s"folder: rename those values, or put the columns elsewhere in the path"
      )
    }
    filled
  }

  /**
   * The paths of `values`, in their order, each under the template's folder; two values that give one path are
   * refused, before anything is written, where one would silently replace the other.
   */
  def fillAll(values: Seq[Map[String, String]]): Vector[String] = {
    val filled = values.map(fill).toVector
    val first = scala.collection.mutable.HashMap.empty[String, Int]
    filled.zipWithIndex.foreach { case (path, at) =>
      val key = new org.apache.hadoop.fs.Path(path).toString
      first.get(key).foreach { earlier =>
        throw new InvalidOptionException(
          s"the values ${show(values(earlier))} and ${show(values(at))} both make $text the path $path: one " +
            "would replace the other; name every partition column in the path, or rename those values"
        )
      }
      first(key) = at
    }
    filled
  }

  private def show(values: Map[String, String]): String =
    names.map(n => s"$n=${values.getOrElse(n, "")}").mkString("(", ", ", ")")
}

private[sparkmerge] object PathTemplate {
  private val Placeholder = """\{([A-Za-z_][A-Za-z0-9_]*)\}""".r

  /** Whether `text` names a partition column in braces. */
  def isTemplate(text: String): Boolean = Placeholder.findFirstIn(text).isDefined

  def parse(text: String): PathTemplate = {
    val names = Placeholder.findAllMatchIn(text).map(_.group(1)).toVector
    if (names.isEmpty)
      throw new InvalidOptionException(
        s"target $text names no partition column: write it as exports/{country}.csv to get one file per value"
      )
    val scheme = text.indexOf("://")
    val authorityEnd = if (scheme < 0) 0 else Some(text.indexOf('/', scheme + 3)).filter(_ >= 0).getOrElse(text.length)
    if (text.indexOf('{') < authorityEnd)
      throw new InvalidOptionException(
        s"target $text has a placeholder in its scheme or host, which would choose the file system by a value: " +
          "put the placeholders in the path after the host, s3a://bucket/{country}.csv"
      )
    val rest = Placeholder.replaceAllIn(text, "")
    if (rest.contains('{') || rest.contains('}'))
      throw new InvalidOptionException(
        s"target $text has a brace that is not around a column name: only {column} is filled in"
      )
    PathTemplate(text, names.distinct)
  }
}
