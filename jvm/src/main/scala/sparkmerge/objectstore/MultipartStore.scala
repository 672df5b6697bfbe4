package sparkmerge.objectstore

import java.net.URI

import org.apache.hadoop.fs.Path

/**
 * The multipart-upload calls of one S3 bucket, made with the client of the user's S3A file system, so that
 * credentials, endpoint, region, encryption and retries are the user's S3A settings. Two implementations, one
 * per AWS SDK (v1 under Hadoop 3.3, v2 under Hadoop 3.4), in the source folders of the Scala line built against
 * that Hadoop; this trait is what the rest of sparkmerge sees of them. Azure's staged blocks are the same calls
 * under other names ([[BlockBlobStore]]): a part is a block, completing is committing the block list.
 */
private[sparkmerge] trait MultipartStore {

  /** The bucket, as in `s3a://bucket/`: the authority of the URIs whose objects [[copyPart]] can take. */
  def bucket: String

  /** The store's name for [[bucket]], as a reason names it: "bucket b". */
  def place: String = s"bucket $bucket"

  /** Whether the objects of file system `uri` are ones [[copyPart]] can take. */
  def holds(uri: URI): Boolean

  /**
   * Whether [[complete]] takes [[MultipartStore.Condition.Matching]]: then an overwrite replaces only the object
   * seen when the merge began ([[etag]]), never one a concurrent writer made meanwhile.
   */
  def guardsOverwrite: Boolean = false

  /** The ETag of the object at `key` now, if there is one; asked only where [[guardsOverwrite]]. */
  def etag(key: String): Option[String] = None

  /** The object key of a path in this bucket. */
  def key(path: Path): String

  /** Starts an upload to `key`: nothing is visible there until [[complete]]. */
  def start(key: String): String

  /** The store copies `first` to `last` (inclusive) of `source` into part `number`; returns the part's ETag. */
  def copyPart(key: String, upload: String, number: Int, source: String, first: Long, last: Long): String

  /** Uploads `length` bytes of `bytes` as part `number`; returns the part's ETag. */
  def uploadPart(key: String, upload: String, number: Int, bytes: Array[Byte], length: Int): String

  /**
   * Joins the parts, in the order of `etags` (part 1 first), into the object at `key`, if the object there meets
   * `condition`.
   */
  def complete(
      key: String,
      upload: String,
      etags: Seq[String],
      condition: MultipartStore.Condition
  ): MultipartStore.Completion

  /** Drops an upload and the parts it holds. */
  def abort(key: String, upload: String): Unit

  /** The uploads under way to exactly `key`: their ids, and when each was started (epoch millis). */
  def uploads(key: String): Seq[(String, Long)]
}

private[sparkmerge] object MultipartStore {

  /** What must be at the key for a completion to take place. */
  sealed trait Condition {

    /** The HTTP header that asks it of the store: S3 and Azure name them alike. */
    def header: Option[(String, String)] = this match {
      case Condition.Any            => None
      case Condition.Absent         => Some("If-None-Match" -> "*")
      case Condition.Matching(etag) => Some("If-Match" -> etag)
    }
  }

  object Condition {

    /** Anything or nothing: the completion replaces whatever is there. */
    case object Any extends Condition

    /** Nothing (`If-None-Match: *`). */
    case object Absent extends Condition

    /** The object of this ETag, unchanged (`If-Match`). */
    final case class Matching(etag: String) extends Condition
  }

  sealed trait Completion

  object Completion {

    /** The object is in place. */
    case object Done extends Completion

    /** The object at the key did not meet the condition, and is as it was. */
    case object Exists extends Completion

    /** The store does not take conditional writes: nothing changed, the upload is still open. */
    case object ConditionRefused extends Completion
  }
}
