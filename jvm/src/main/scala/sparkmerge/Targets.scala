package sparkmerge

import org.apache.hadoop.fs.Path

import sparkmerge.partitions.PathTemplate

/**
 * Where the files of a call go: one path, or a template whose `{column}` and `{n}` make one file per value.
 * Decided here once, from the text alone, for every door (Scala, Python, the command line, SQL).
 */
sealed trait Targets {

  /** The target as the caller wrote it. */
  def text: String
}

object Targets {

  /** One file at `path`. */
  final case class OneFile(text: String, path: Path) extends Targets

  /** A file per value that `template` fills in. */
  final case class Template(text: String, template: PathTemplate) extends Targets

  /**
   * `text` as one target or a template, or the error that says what is wrong with it; `role` names it as the
   * caller did ("target", "path").
   */
  def parse(text: String, role: String): Targets = {
    val path = PathArgument.parse(text, role)
    if (text.endsWith("/"))
      throw new InvalidOptionException(
        s"$role '$text' ends with '/', which names a directory: give the one file's name, ${text}out.csv"
      )
    if (PathTemplate.isTemplate(text)) Template(text, PathTemplate.parse(text))
    else if (text.exists(c => c == '{' || c == '}'))
      // Most likely a template mistyped; a file named with a brace would be one no template could name.
      throw new InvalidOptionException(
        s"$role '$text' has a brace but no partition column in braces: a file per value is written as " +
          "exports/{country}.csv (letters, digits and _ between the braces); one file's name holds no brace"
      )
    else OneFile(text, path)
  }
}
