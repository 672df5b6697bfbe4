package sparkmerge.objectstore

import org.apache.hadoop.fs.Path

/**
 * The multipart-upload calls of one S3 bucket, made with the client of the user's S3A file system, so that
 * credentials, endpoint, region, encryption and retries are the user's S3A settings. Two implementations, one
 * per AWS SDK (v1 under Hadoop 3.3, v2 under Hadoop 3.4), in the source folders of the Scala line built against
 * that Hadoop; this trait is what the rest of sparkmerge sees of them.
 */
private[sparkmerge] trait MultipartStore {

  /** The bucket, as in `s3a://bucket/`. */
  def bucket: String

  /** The object key of a path in this bucket. */
  def key(path: Path): String

  /** Starts an upload to `key`: nothing is visible there until [[complete]]. */
  def start(key: String): String

  /** The store copies `first` to `last` (inclusive) of `source` into part `number`; returns the part's ETag. */
  def copyPart(key: String, upload: String, number: Int, source: String, first: Long, last: Long): String

  /** Uploads `length` bytes of `bytes` as part `number`; returns the part's ETag. */
  def uploadPart(key: String, upload: String, number: Int, bytes: Array[Byte], length: Int): String

  /**
   * Joins the parts, in the order of `etags` (part 1 first), into the object at `key`. With `ifAbsent` the store
   * does it only if no object is at `key` (`If-None-Match: *`).
   */
  def complete(key: String, upload: String, etags: Seq[String], ifAbsent: Boolean): MultipartStore.Completion

  /** Drops an upload and the parts it holds. */
  def abort(key: String, upload: String): Unit

  /** The uploads under way to exactly `key`: their ids, and when each was started (epoch millis). */
  def uploads(key: String): Seq[(String, Long)]
}

private[sparkmerge] object MultipartStore {

  sealed trait Completion

  object Completion {

    /** The object is in place. */
    case object Done extends Completion

    /** An object was at the key, and `ifAbsent` kept it: nothing changed. */
    case object Exists extends Completion

    /** The store does not take conditional writes: nothing changed, the upload is still open. */
    case object ConditionRefused extends Completion
  }
}
