package sparkmerge

import scala.util.control.NonFatal

import org.apache.hadoop.conf.Configuration

import sparkmerge.cli.{Arguments, Json}
import sparkmerge.partitions.{PartitionedMerge, PathTemplate}
import sparkmerge.publish.{Destination, HiddenFiles, Leftovers}

/**
 * The command line, for `spark-submit --class sparkmerge.MergeMain`, `hadoop jar` and `python -m sparkmerge`
 * ([[sparkmerge.cli.Arguments]] has its words). Needs no SparkContext: the Hadoop configuration comes from the
 * classpath, plus any `spark.hadoop.*` settings spark-submit passes as system properties.
 *
 * A target with `{column}` in it merges a directory written with `partitionBy` into one file per value.
 *
 * With `--json`, stdout carries exactly one JSON object, for a program to read instead of human text: the
 * result's fields (`{"results": [...]}`, one per file, for a `{column}` target), or `{"error": <simple class name>, "message": <one line>}` with exit code 1.
 *
 * `--clean PATH` removes what merges to the target PATH (or to any target in the directory PATH) left behind
 * when they were killed.
 */
object MergeMain {

  def main(args: Array[String]): Unit =
    Arguments.parse(args.toSeq) match {
      case Left(problem) =>
        System.err.println(s"${Arguments.Usage}\n$problem")
        System.exit(2)
      case Right(arguments) =>
        try {
          val conf = hadoopConfiguration()
          if (arguments.clean) {
            val removed = clean(arguments.paths.head, conf)
            println(if (arguments.json) Json.removed(removed) else removed.map(p => s"removed $p").mkString("\n"))
          } else {
            val (source, target) = (arguments.paths(0), arguments.paths(1))
            if (PathTemplate.isTemplate(target)) {
              val results = PartitionedMerge.merge(source, target, arguments.options, conf)
              println(if (arguments.json) Json.results(results) else results.mkString("\n"))
            } else {
              val result = Merger.merge(source, target, arguments.options, conf)
              println(if (arguments.json) Json.result(result) else result)
            }
          }
        } catch {
          case e: SparkMergeException if !arguments.json =>
            System.err.println(s"sparkmerge: ${e.getMessage}")
            System.exit(1)
          // Any failure, not only the engine's own: the caller reads stdout alone, and a stack trace on stderr
          // would be all it got. It maps the engine's class names and reports any other by its name.
          case NonFatal(e) if arguments.json =>
            println(Json.error(e))
            System.exit(1)
        }
    }

  private[sparkmerge] def clean(path: String, conf: Configuration): Seq[String] = {
    val destination = Destination.of(PathArgument.parse(path, "path"), conf)
    val dir = destination.target
    val removed =
      if (!destination.fs.exists(dir) || !destination.fs.getFileStatus(dir).isDirectory) destination.cleanLeftovers()
      // Each target's own destination: on S3 it aborts the uploads its dead merges' records name, then drops them.
      else if (destination.objectStore)
        Leftovers
          .targetsIn(destination.dataFs, dir)
          .flatMap(name => Destination.of(HiddenFiles.child(dir, name), conf).cleanLeftovers())
      else Leftovers.cleanDirectory(destination.fs, destination.dataFs, dir)
    removed.map(_.toString)
  }

  private def hadoopConfiguration(): Configuration = {
    val conf = new Configuration()
    sys.props.foreach { case (key, value) =>
      if (key.startsWith("spark.hadoop.")) conf.set(key.stripPrefix("spark.hadoop."), value)
    }
    conf
  }
}
