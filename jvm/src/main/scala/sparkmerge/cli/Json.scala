package sparkmerge.cli

import sparkmerge.{FirstLine, MergeResult, MergeResults}

/** The one JSON object the command line prints with `--json`, for a program to read. */
private[sparkmerge] object Json {

  def result(result: MergeResult): String =
    obj(
      "target" -> string(result.target),
      "files" -> result.files.toString,
      "bytes" -> result.bytes.toString,
      "strategy" -> string(result.strategy),
      "millis" -> result.millis.toString,
      "reason" -> string(result.reason),
      "bytesAhead" -> result.bytesAhead.toString
    )

  /** One file's fields alone, the files of a template as `results`. */
  def of(results: MergeResults): String =
    if (results.template.isEmpty) result(results.single) else this.results(results.files)

  /** The files of a merge to a `{column}` target, one object each, in the order of the values. */
  def results(results: Seq[MergeResult]): String = obj("results" -> results.map(result).mkString("[", ",", "]"))

  def error(e: Throwable): String =
    obj("error" -> string(e.getClass.getSimpleName), "message" -> string(FirstLine.of(e)))

  def removed(paths: Seq[String]): String = obj("removed" -> paths.map(string).mkString("[", ",", "]"))

  /** Fields whose values are JSON already. Written by hand: the jar carries no JSON library and must not. */
  private def obj(fields: (String, String)*): String =
    fields.map { case (name, value) => s"${string(name)}:$value" }.mkString("{", ",", "}")

  /**
   * A JSON string in plain ASCII: every control and non-ASCII character as a backslash-u escape of its UTF-16
   * code unit, as JSON has it, so the line reads the same whatever charset the JVM writes stdout in.
   */
  private def string(text: String): String = {
    val out = new java.lang.StringBuilder(text.length + 2).append('"')
    text.foreach {
      case '"'                     => out.append("\\\"")
      case '\\'                    => out.append("\\\\")
      case c if c < ' ' || c > '~' => out.append('\\').append('u').append(f"${c.toInt}%04x")
      case c                       => out.append(c)
    }
    out.append('"').toString
  }
}
