package sparkmerge.objectstore

import java.util.Locale

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.FileSystem

/**
 * The multipart calls of a file system, where it is Apache's S3A and this jar can make them. S3A's own client
 * makes them: hadoop-aws and the AWS SDK are the cluster's, never bundled here. The calls are compiled against
 * the S3A of the Hadoop each Scala line's Spark ships ([[SdkStore]]: AWS SDK v1 under Hadoop 3.3, v2 under 3.4).
 */
private[sparkmerge] object S3AStores {

  private val ApacheS3A = "org.apache.hadoop.fs.s3a.S3AFileSystem"

  /** `false` turns the store's copies off: every byte then goes through this JVM (to compare, or to debug). */
  val ServerSideKey = "sparkmerge.s3.server-side"

  /**
   * The store, or why there is none: the merge then copies through this JVM, and says why. `conf` is the
   * merge's configuration, which may differ from the cached file system's own.
   */
  def of(fs: FileSystem, conf: Configuration): Either[String, MultipartStore] =
    if (fs.getClass.getName != ApacheS3A)
      Left(s"${fs.getUri.getScheme}:// is served by ${fs.getClass.getName}, not by Apache's S3A")
    else if (!ServerSide.on(conf, ServerSideKey))
      Left(s"the store's own copies are turned off ($ServerSideKey=false)")
    else
      try Right(SdkStore(fs))
      catch {
        // hadoop-aws of another Hadoop line than this jar's, or no AWS SDK where one was expected
        case e: LinkageError => Left(s"this jar's S3 calls do not fit the S3A here (${e.getClass.getSimpleName})")
      }

  /**
   * Why the store may copy no part between objects, if so: every byte then goes through this JVM, into the same
   * multipart upload, whose conditional completion still lets one of two racing merges win.
   */
  def whyNoCopies(fs: FileSystem): Option[String] =
    if (customerKey(fs))
      Some(
        "the bucket encrypts with customer keys (SSE-C), which a copy between objects would need again: the " +
          "bytes go through this JVM into one upload, completed only if the target is as the merge found it"
      )
    else None

  private def customerKey(fs: FileSystem): Boolean = {
    val conf = fs.getConf
    val algorithm =
      Option(conf.getTrimmed("fs.s3a.encryption.algorithm"))
        .orElse(Option(conf.getTrimmed("fs.s3a.server-side-encryption-algorithm")))
    algorithm.exists(_.toUpperCase(Locale.ROOT) == "SSE-C")
  }
}
