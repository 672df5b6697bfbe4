package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.util.StringUtils

import sparkmerge.{InvalidOptionException, Settings}
import sparkmerge.Settings.Setting

/**
 * The sizes a multipart upload must keep, and how much of it runs at once. S3 takes 1 to 10,000 parts, each of
 * 5 MiB to 5 GiB except the last, which may be smaller; Azure 1 to 50,000 blocks of any size up to 4,000 MiB.
 *
 * @param minPart     the shortest range worth a part of its own (S3's smallest part); shorter ones are gathered
 * @param maxPart     the largest part: a longer range is copied as several
 * @param uploadBytes the size of a part this JVM uploads, gathered from small parts and other bytes it reads
 * @param threads     the copies and uploads under way at once
 */
private[sparkmerge] final case class PartLimits(
    minPart: Long = PartLimits.S3.minPart,
    maxPart: Long = PartLimits.S3.defaultMaxPart,
    maxParts: Int = PartLimits.S3.maxParts,
    uploadBytes: Int = PartLimits.S3.defaultUploadBytes,
    threads: Int = PartLimits.S3.defaultThreads
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

  /** A store's rules for its parts, and the settings that choose within them. */
  final class Rules(
      val minPart: Long,
      val largestPart: Long,
      val maxParts: Int,
      val maxPartSetting: Setting,
      val uploadSetting: Setting,
      val threadsSetting: Setting
  ) {
    val defaultMaxPart: Long = bytes(maxPartSetting.default)
    val defaultUploadBytes: Int = bytes(uploadSetting.default).toInt
    val defaultThreads: Int = threadsSetting.default.toInt

    def defaults: PartLimits = PartLimits(minPart, defaultMaxPart, maxParts, defaultUploadBytes, defaultThreads)
  }

  val S3 = new Rules(5L << 20, 5L << 30, 10000, Settings.S3MaxPartSize, Settings.S3UploadPartSize, Settings.S3Threads)

  // Azure has no smallest block: a part under 256 KiB is read rather than staged, one call either way.
  val Azure =
    new Rules(
      256L << 10,
      4000L << 20,
      50000,
      Settings.AzureMaxBlockSize,
      Settings.AzureUploadBlockSize,
      Settings.AzureThreads
    )

  /** The limits, as the Hadoop configuration (`spark.hadoop.sparkmerge.s3.*` in Spark) sets them. */
  def of(conf: Configuration, rules: Rules = S3): PartLimits = {
    val maxKey = rules.maxPartSetting.key
    val uploadKey = rules.uploadSetting.key
    val threadsKey = rules.threadsSetting.key
    val maxPart = conf.getLongBytes(maxKey, rules.defaultMaxPart)
    val upload = conf.getLongBytes(uploadKey, math.min(rules.defaultUploadBytes.toLong, maxPart))
    val threads = conf.getInt(threadsKey, rules.defaultThreads)
    if (maxPart < 2 * rules.minPart || maxPart > rules.largestPart)
      throw new InvalidOptionException(
        s"$maxKey must lie between ${size(2 * rules.minPart)} and ${size(rules.largestPart)}, not $maxPart bytes"
      )
    if (upload < rules.minPart || upload > math.min(maxPart, Int.MaxValue.toLong))
      throw new InvalidOptionException(
        s"$uploadKey must lie between ${size(rules.minPart)} and $maxKey (and under 2 GiB), not $upload bytes"
      )
    if (threads < 1 || threads > 256)
      throw new InvalidOptionException(s"$threadsKey must lie between 1 and 256, not $threads")
    PartLimits(rules.minPart, maxPart, rules.maxParts, upload.toInt, threads)
  }

  private def bytes(text: String): Long = StringUtils.TraditionalBinaryPrefix.string2long(text)

  private def size(bytes: Long): String =
    if (bytes % (1L << 30) == 0) s"${bytes >> 30} GiB"
    else if (bytes % (1L << 20) == 0) s"${bytes >> 20} MiB"
    else s"${bytes >> 10} KiB"
}
