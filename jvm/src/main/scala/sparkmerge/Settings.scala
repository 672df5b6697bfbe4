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

  val AzureThreads: Setting =
    Setting("sparkmerge.azure.threads", "8", Hadoop, "Azure: the blocks of one merge staged at once")

  val AzureUploadBlockSize: Setting = Setting(
    "sparkmerge.azure.upload-block-size",
    "8M",
    Hadoop,
    "Azure: the size of a block this JVM uploads, gathered from small parts (256 KiB up to the largest block)"
  )

  // Under the connector's 30 s read timeout at a few hundred MiB/s: one staged block is one call.
  val AzureMaxBlockSize: Setting = Setting(
    "sparkmerge.azure.max-block-size",
    "100M",
    Hadoop,
    "Azure: the largest block the store stages from a part; a longer range is staged as several (512 KiB to " +
      "4000 MiB)"
  )

  val All: Seq[Setting] =
    Seq(
      CopyAhead,
      MergeThreads,
      ExecutorMergesFrom,
      S3Threads,
      S3UploadPartSize,
      S3MaxPartSize,
      GcsThreads,
      AzureThreads,
      AzureUploadBlockSize,
      AzureMaxBlockSize
    )
}
