package sparkmerge

import org.apache.hadoop.conf.Configuration

/**
 * The command line, for `spark-submit --class sparkmerge.MergeMain` and `hadoop jar`:
 * `SOURCE TARGET [--header] [--overwrite] [--delete-source]`. Needs no SparkContext: the Hadoop configuration
 * comes from the classpath, plus any `spark.hadoop.*` settings spark-submit passes as system properties.
 */
object MergeMain {

  private val Usage = "usage: sparkmerge SOURCE TARGET [--header] [--overwrite] [--delete-source]"

  def main(args: Array[String]): Unit = {
    val (flags, paths) = args.toSeq.partition(_.startsWith("--"))
    val unknown = flags.filterNot(Set("--header", "--overwrite", "--delete-source"))
    if (paths.size != 2 || unknown.nonEmpty) {
      System.err.println(Usage + unknown.map(f => s"\nunknown option $f").mkString)
      System.exit(2)
    }
    val options = MergeOptions(
      header = flags.contains("--header"),
      overwrite = flags.contains("--overwrite"),
      deleteSource = flags.contains("--delete-source")
    )
    try println(Merger.merge(paths(0), paths(1), options, hadoopConfiguration()))
    catch {
      case e: SparkMergeException =>
        System.err.println(s"sparkmerge: ${e.getMessage}")
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
}
