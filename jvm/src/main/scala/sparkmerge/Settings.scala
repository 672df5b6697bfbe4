package sparkmerge

/**
 * Every setting sparkmerge reads, with its default and what it does: the one list, which the README's settings
 * table repeats. Spark session settings are read from the session (`spark.conf.set`); Hadoop settings from the
 * Hadoop configuration (`spark.hadoop.` + key in Spark, `-D` or `*-site.xml` elsewhere).
 */
object Settings {

  /** Where a setting is read from. */
  sealed trait Scope
  case object SparkSession extends Scope
  case object Hadoop extends Scope

  final case class Setting(key: String, default: String, scope: Scope, meaning: String)

  val CopyAhead: Setting = Setting(
    "spark.sparkmerge.copyAhead",
    "true",
    SparkSession,
    "copy the parts of finished tasks while Spark writes the others (local disk); the file is the same either way"
  )

  val MergeThreads: Setting =
    Setting("spark.sparkmerge.mergeThreads", "8", SparkSession, "how many files of a set merge at once on the driver")

  val ExecutorMergesFrom: Setting = Setting(
    "spark.sparkmerge.executorMergesFrom",
    "256",
    SparkSession,
    "from how many files on a set merges as a Spark job on the executors (0: never; never with a local master " +
      "unless set)"
  )

  val S3Threads: Setting =
    Setting("sparkmerge.s3.threads", "8", Hadoop, "S3: the copies and uploads of one merge under way at once")

  val S3UploadPartSize: Setting = Setting(
    "sparkmerge.s3.upload-part-size",
    "8M",
    Hadoop,
    "S3: the size of a part this JVM uploads, gathered from small parts (5 MiB up to the largest part)"
  )

  val S3MaxPartSize: Setting = Setting(
    "sparkmerge.s3.max-part-size",
    "5G",
    Hadoop,
    "S3: the largest part the store copies; a longer range is copied as several (10 MiB to 5 GiB)"
  )

  val GcsThreads: Setting =
    Setting("sparkmerge.gcs.threads", "8", Hadoop, "GCS: the composes of one merge under way at once")

  val All: Seq[Setting] =
    Seq(CopyAhead, MergeThreads, ExecutorMergesFrom, S3Threads, S3UploadPartSize, S3MaxPartSize, GcsThreads)
}
