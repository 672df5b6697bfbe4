package sparkmerge

import scala.util.control.NonFatal

import org.apache.hadoop.conf.Configuration

/**
 * The command line, for `spark-submit --class sparkmerge.MergeMain`, `hadoop jar` and `python -m sparkmerge`:
 * `SOURCE TARGET [--header] [--overwrite] [--delete-source] [--json]`. Needs no SparkContext: the Hadoop
 * configuration comes from the classpath, plus any `spark.hadoop.*` settings spark-submit passes as system
 * properties.
 *
 * With `--json`, stdout carries exactly one JSON object, for a program to read instead of human text: the
 * result's fields, or `{"error": <simple class name>, "message": <one line>}` with exit code 1.
 */
object MergeMain {

  private val Usage = "usage: sparkmerge SOURCE TARGET [--header] [--overwrite] [--delete-source] [--json]"

  def main(args: Array[String]): Unit = {
    val (flags, paths) = args.toSeq.partition(_.startsWith("--"))
    val unknown = flags.filterNot(Set("--header", "--overwrite", "--delete-source", "--json"))
    if (paths.size != 2 || unknown.nonEmpty) {
      System.err.println(Usage + unknown.map(f => s"\nunknown option $f").mkString)
      System.exit(2)
    }
    val options = MergeOptions(
      header = flags.contains("--header"),
      overwrite = flags.contains("--overwrite"),
      deleteSource = flags.contains("--delete-source")
    )
    val json = flags.contains("--json")
    try {
      val result = Merger.merge(paths(0), paths(1), options, hadoopConfiguration())
      println(if (json) resultJson(result) else result)
    } catch {
      case e: SparkMergeException if !json =>
        System.err.println(s"sparkmerge: ${e.getMessage}")
        System.exit(1)
      // Any failure, not only the engine's own: the caller reads stdout alone, and a stack trace on stderr
      // would be all it got. It maps the engine's class names and reports any other by its name.
      case NonFatal(e) if json =>
        println(errorJson(e))
        System.exit(1)
    }
  }

  private def hadoopConfiguration(): Configuration = {
    val conf = new Configuration()
    sys.props.foreach { case (key, value) =>
      if (key.startsWith("spark.hadoop.")) conf.set(key.stripPrefix("spark.hadoop."), value)
    }
    conf
  }

  private def resultJson(result: MergeResult): String =
    jsonObject(
      "target" -> jsonString(result.target),
      "files" -> result.files.toString,
      "bytes" -> result.bytes.toString,
      "strategy" -> jsonString(result.strategy),
      "millis" -> result.millis.toString,
      "reason" -> jsonString(result.reason),
      "bytesAhead" -> result.bytesAhead.toString
    )

  private def errorJson(e: Throwable): String =
    jsonObject("error" -> jsonString(e.getClass.getSimpleName), "message" -> jsonString(FirstLine.of(e)))

  /** Fields whose values are JSON already. Written by hand: the jar carries no JSON library and must not. */
  private def jsonObject(fields: (String, String)*): String =
    fields.map { case (name, value) => s"${jsonString(name)}:$value" }.mkString("{", ",", "}")

  /**
   * A JSON string in plain ASCII: every control and non-ASCII character as a backslash-u escape of its UTF-16
   * code unit, as JSON has it, so the line reads the same whatever charset the JVM writes stdout in.
   */
  private def jsonString(text: String): String = {
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
