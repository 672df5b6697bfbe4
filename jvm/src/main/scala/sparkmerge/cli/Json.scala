package sparkmerge.cli

import sparkmerge.{MergeResult, MergeResults}

/** The one JSON object the command line prints with `--json`, for a program to read; the Python package reads it too. */
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

  /**
   * One file's fields alone; for a `{column}` target, the template and its files as `results`, one object each in
   * the order of the values.
   */
  def of(results: MergeResults): String = results.template match {
    case None           => result(results.single)
    case Some(template) =>
      obj("template" -> string(template), "results" -> results.files.map(result).mkString("[", ",", "]"))
  }

  /**
   * The exception by its simple and its full class name, and its message as the JVM has it (empty if none): the
   * Python package turns them into its exception by the same rule as what a SparkSession's JVM throws.
   */
  def error(e: Throwable): String =
    obj(
      "error" -> string(e.getClass.getSimpleName),
      "class" -> string(e.getClass.getName),
      "message" -> string(Option(e.getMessage).getOrElse(""))
    )

  def removed(paths: Seq[String]): String = obj("removed" -> paths.map(string).mkString("[", ",", "]"))

  /** For a front program (`--front`): the object `--json` prints as `reply`, and whether its user asked for it. */
  def front(json: Boolean, reply: String): String = obj("json" -> json.toString, "reply" -> reply)

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
