package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.util.StringUtils

import sparkmerge.{InvalidOptionException, Settings}

/**
 * The sizes a multipart upload must keep, and how much of it runs at once. S3 takes 1 to 10,000 parts, each of
 * 5 MiB to 5 GiB except the last, which may be smaller.
 *
 * @param maxPart     the largest part: a longer range is copied as several
 * @param uploadBytes the size of a part this JVM uploads, gathered from small parts and other bytes it reads
 * @param threads     the copies and uploads under way at once
 */
private[sparkmerge] final case class PartLimits(
    minPart: Long = PartLimits.MinPart,
    maxPart: Long = PartLimits.DefaultMaxPart,
    maxParts: Int = PartLimits.MaxParts,
    uploadBytes: Int = PartLimits.DefaultUploadBytes,
    threads: Int = PartLimits.DefaultThreads
) {
  // A range longer than maxPart is cut into pieces of more than half of it, each at least minPart.
  require(maxPart >= 2 * minPart, s"the largest part ($maxPart bytes) must hold two of the smallest ($minPart)")
  require(uploadBytes >= minPart && uploadBytes <= maxPart, s"upload parts of $uploadBytes bytes do not fit")
  require(threads >= 1 && maxParts >= 2)

  /**
   * These limits, with uploaded parts large enough that `bytes` gathered here take at most half the part
   * numbers: the other half is for copied ranges and the runs between them.
   */
  def fitting(bytes: Long): PartLimits = {
    val needed = bytes / (maxParts / 2) + 1
    if (needed <= uploadBytes) this else copy(uploadBytes = math.min(needed, math.min(maxPart, 1L << 30)).toInt)
  }
}

private[sparkmerge] object PartLimits {
  val MinPart: Long = 5L << 20
  val MaxPart: Long = 5L << 30
  val MaxParts = 10000

  val MaxPartKey: String = Settings.S3MaxPartSize.key
  val UploadBytesKey: String = Settings.S3UploadPartSize.key
  val ThreadsKey: String = Settings.S3Threads.key

  val DefaultUploadBytes: Int = StringUtils.TraditionalBinaryPrefix.string2long(Settings.S3UploadPartSize.default).toInt
  val DefaultThreads: Int = Settings.S3Threads.default.toInt
  private val DefaultMaxPart: Long = StringUtils.TraditionalBinaryPrefix.string2long(Settings.S3MaxPartSize.default)

  /** The limits, as the Hadoop configuration (`spark.hadoop.sparkmerge.s3.*` in Spark) sets them. */
  def of(conf: Configuration): PartLimits = {
    val defaults = PartLimits()
    val maxPart = conf.getLongBytes(MaxPartKey, defaults.maxPart)
    val upload = conf.getLongBytes(UploadBytesKey, math.min(defaults.uploadBytes.toLong, maxPart))
    val threads = conf.getInt(ThreadsKey, defaults.threads)
    if (maxPart < 2 * MinPart || maxPart > MaxPart)
      throw new InvalidOptionException(s"$MaxPartKey must lie between 10 MiB and 5 GiB, not $maxPart bytes")
    if (upload < MinPart || upload > math.min(maxPart, Int.MaxValue.toLong))
      throw new InvalidOptionException(
        s"$UploadBytesKey must lie between 5 MiB and $MaxPartKey (and under 2 GiB), not $upload bytes"
      )
    if (threads < 1 || threads > 256)
      throw new InvalidOptionException(s"$ThreadsKey must lie between 1 and 256, not $threads")
    PartLimits(maxPart = maxPart, uploadBytes = upload.toInt, threads = threads)
  }
}
