package sparkmerge

import scala.util.control.NonFatal

import org.apache.hadoop.conf.Configuration

import sparkmerge.cli.{Arguments, Clean, Json}
import sparkmerge.publish.ShutdownCleanup

/**
 * The command line, for `spark-submit --class sparkmerge.MergeMain`, `hadoop jar` and `python -m sparkmerge`
 * ([[sparkmerge.cli.Arguments]] has its words). Needs no SparkContext: the Hadoop configuration comes from the
 * classpath, plus any `spark.hadoop.*` settings spark-submit passes as system properties.
 *
 * A target with `{column}` in it merges a directory written with `partitionBy` into one file per value.
 *
 * With `--json`, stdout carries exactly one JSON object, for a program to read instead of human text: the
 * result's fields (`{"results": [...]}`, one per file, for a `{column}` target), or
 * `{"error": <simple class name>, "message": <one line>}` with exit code 1.
 *
 * `--clean PATH` removes what merges to the target PATH (any target in the directory PATH and the folders under
 * it, or any file of the template PATH) left behind when they were killed ([[sparkmerge.cli.Clean]]).
 */
object MergeMain {

  def main(args: Array[String]): Unit =
    Arguments.parse(args.toSeq) match {
      case Left(problem) =>
        System.err.println(s"${Arguments.Usage}\n$problem")
        System.exit(2)
      case Right(arguments) =>
        // The exit after the call: a JVM that is stopping would block System.exit until its hooks have ended.
        val code = ShutdownCleanup.whileRunning(run(arguments))
        System.out.flush()
        if (code != 0) System.exit(code)
    }

  /** Runs the command and prints what it has to say; the exit code. */
  private def run(arguments: Arguments): Int =
    try {
      val conf = hadoopConfiguration()
      if (arguments.clean) {
        val removed = clean(arguments.paths.head, conf)
        println(if (arguments.json) Json.removed(removed) else removed.map(p => s"removed $p").mkString("\n"))
      } else {
        val call = MergeCall(arguments.paths(0), arguments.paths(1), arguments.options)
        val results = SparkMerge.merge(call, conf)
        println(if (arguments.json) Json.of(results) else results.files.mkString("\n"))
      }
      0
    } catch {
      case e: SparkMergeException if !arguments.json =>
        System.err.println(s"sparkmerge: ${e.getMessage}")
        1
      // Any failure, not only the engine's own: the caller reads stdout alone, and a stack trace on stderr
      // would be all it got. It maps the engine's class names and reports any other by its name.
      case NonFatal(e) if arguments.json =>
        println(Json.error(e))
        1
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
