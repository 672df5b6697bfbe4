package sparkmerge

import scala.util.control.NonFatal

import org.apache.hadoop.conf.Configuration

import sparkmerge.cli.{Arguments, Clean, Help, Json}
import sparkmerge.publish.ShutdownCleanup

/**
 * The command line, for `spark-submit --class sparkmerge.MergeMain`, `hadoop jar` and `python -m sparkmerge`
 * ([[sparkmerge.cli.Arguments]] has its words, and is their one parser). Needs no SparkContext: the Hadoop
 * configuration comes from the classpath, plus any `spark.hadoop.*` settings spark-submit passes as system
 * properties.
 *
 * A target with `{column}` in it merges a directory written with `partitionBy` into one file per value.
 *
 * With `--json`, stdout carries exactly one JSON object, for a program to read instead of human text: the
 * result's fields (`{"template": ..., "results": [...]}`, one per file, for a `{column}` target), or
 * `{"error": <simple class name>, "class": <class name>, "message": <its message>}` with exit code 1.
 *
 * `--clean PATH` removes what merges to the target PATH (any target in the directory PATH and the folders under
 * it, or any file of the template PATH) left behind when they were killed ([[sparkmerge.cli.Clean]]).
 *
 * A program that runs this for its user passes the user's words on untouched after `--front NAME`: the usage
 * errors, `--help` and `--version` then name NAME, and stdout carries one JSON object whatever the user asked,
 * `{"json": <whether the user asked --json>, "reply": <what --json prints>}`, for the front to answer its user.
 */
object MergeMain {

  def main(args: Array[String]): Unit = {
    val (front, words) = args.toList match {
      case "--front" :: name :: rest => (Some(name), rest)
      case rest                      => (None, rest)
    }
    val prog = front.getOrElse("sparkmerge")
    Arguments.parse(words) match {
      case Left(problem) =>
        System.err.println(s"$prog: error: $problem; see $prog --help")
        System.exit(2)
      case Right(Arguments(Arguments.ShowHelp, _))        => println(Help.text(prog))
      case Right(Arguments(Arguments.ShowVersion, _))     => println(s"$prog ${Help.version}")
      case Right(Arguments(command: Arguments.Run, json)) =>
        // The exit after the call: a JVM that is stopping would block System.exit until its hooks have ended.
        val code = ShutdownCleanup.whileRunning(run(command, json, front.isDefined))
        System.out.flush()
        if (code != 0) System.exit(code)
    }
  }

  /** Runs the command and prints what it has to say; the exit code. */
  private def run(command: Arguments.Run, json: Boolean, front: Boolean): Int = {
    def reply(text: String): Unit = println(if (front) Json.front(json, text) else text)
    try {
      reply(answer(command, json || front))
      0
    } catch {
      case e: SparkMergeException if !json && !front =>
        System.err.println(s"sparkmerge: ${e.getMessage}")
        1
      // Any failure, not only the engine's own: the caller reads stdout alone, and a stack trace on stderr
      // would be all it got. It maps the engine's class names and reports any other by its name.
      case NonFatal(e) if json || front =>
        reply(Json.error(e))
        1
    }
  }

  private def answer(command: Arguments.Run, json: Boolean): String = {
    val conf = hadoopConfiguration()
    command match {
      case Arguments.Merge(source, target, options) =>
        val results = SparkMerge.merge(MergeCall(source, target, options), conf)
        if (json) Json.of(results) else results.files.mkString("\n")
      case Arguments.CleanPath(path) =>
        val removed = clean(path, conf)
        if (json) Json.removed(removed) else removed.map(p => s"removed $p").mkString("\n")
    }
  }

  private[sparkmerge] def clean(path: String, conf: Configuration): Seq[String] = Clean(path, conf).map(_.toString)

  private def hadoopConfiguration(): Configuration = {
    val conf = new Configuration()
    sys.props.foreach { case (key, value) =>
      if (key.startsWith("spark.hadoop.")) conf.set(key.stripPrefix("spark.hadoop."), value)
    }
    conf
  }
}
