package sparkmerge.objectstore

import java.io.IOException
import java.util.concurrent.ConcurrentHashMap

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, MergeProgress}
import sparkmerge.plan.{MergePlan, Piece}
import sparkmerge.publish.{Destination, HiddenFiles, Leftovers, Publisher, ShutdownCleanup, Staged}

/**
 * A target on S3, through Apache's S3A: the merge is one multipart upload to the target's key, whose parts the
 * store copies from the source objects where it can ([[MultipartCopy]]), and publishing it is completing the
 * upload. The object appears whole, at once, or not at all; no data is written beside it and nothing is renamed
 * (which on S3 would be a second copy of every byte), only the upload's id ([[UploadRecord]]) while it is open.
 * Without overwrite the completion is conditional, so of two merges racing for one key exactly one wins. Any
 * failure, and a JVM that is stopped, aborts the upload. On Azure the same, with staged blocks for parts
 * ([[BlockBlobStore]]). `whyNoCopies`, where the store may copy nothing between objects (SSE-C), sends every byte
 * through this JVM into the upload.
 */
private[sparkmerge] final class MultipartDestination(
    val target: Path,
    val fs: FileSystem,
    store: MultipartStore,
    limits: PartLimits,
    whyNoCopies: Option[String] = None
) extends Destination {
  private val log = LoggerFactory.getLogger(classOf[MultipartDestination])
  private val key = store.key(target)
  private val aborts = new ConcurrentHashMap[String, Runnable]()
  private val records = new ConcurrentHashMap[String, Path]()
  // The target's ETag when the merge began (None: there was none), where the store guards overwrites.
  @volatile private var seen: Option[Option[String]] = None

  def dataFs: FileSystem = fs

  override def objectStore: Boolean = true

  override def whyNotInStore(source: FileSystem, pieces: Seq[Piece]): Option[String] =
    if (whyNoCopies.isDefined) whyNoCopies
    else if (store.holds(source.getUri)) None
    else
      Some(s"the parts are in ${source.getUri}, not in the target's ${store.place}: their bytes go through this JVM")

  override def checkTarget(overwrite: Boolean): Unit = {
    super.checkTarget(overwrite)
    if (store.guardsOverwrite) seen = Some(unchanged(store.etag(key)))
  }

  /**
   * Hidden objects of merges that died, and their uploads to this key that nobody completed or aborted: a JVM
   * killed outright aborts nothing. An upload cannot say who started it: those a dead merge's [[UploadRecord]]
   * names go, and any older than [[Leftovers.StaleAfterMillis]]; the bucket's lifecycle rule is the rest of the
   * answer (README). Returns the hidden objects removed; the uploads aborted are logged, having no path.
   */
  override def cleanLeftovers(): Seq[Path] = {
    val leftovers = Leftovers.staleOf(fs, target)
    // Read before the records go with the other hidden objects.
    val claimed = leftovers.filter(_.kind == HiddenFiles.Kind.Upload).flatMap(h => UploadRecord.read(fs, h.path)).toSet
    val now = System.currentTimeMillis()
    val stale =
      try
        store.uploads(key).filter { case (upload, started) =>
          claimed(upload) || now - started > Leftovers.StaleAfterMillis
        }
      catch {
        case e: IOException =>
          log.warn(s"sparkmerge: could not list the uploads to $target: ${FirstLine.of(e)}")
          Seq.empty
      }
    stale.foreach { case (upload, _) =>
      abortQuietly(upload)
      log.info(s"sparkmerge: aborted the upload $upload to $target, left by a merge that died")
    }
    Leftovers.remove(fs, leftovers)
  }

  def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged = {
    if (store.guardsOverwrite && seen.isEmpty) seen = Some(unchanged(store.etag(key)))
    val upload = unchanged(store.start(key))
    val abort: Runnable = () => store.abort(key, upload)
    aborts.put(upload, abort)
    ShutdownCleanup.onStop(abort)
    // Uploaded parts large enough that, whatever is gathered, the parts fit in S3's 10,000.
    val fitted = limits.fitting(plan.inputBytes)
    val writer = new MultipartWriter(
      store,
      key,
      upload,
      fitted,
      progress,
      MultipartCopy.readRange(source, progress, bufferBytes)
    )
    try {
      records.put(upload, UploadRecord.write(fs, target, upload))
      val copied = MultipartCopy.run(source, plan, store, writer, fitted, bufferBytes, progress)
      val etags = writer.finish()
      val expected = plan.expectedLength(copied.bytes, copied.lineBreaksAdded)
      if (writer.bytes != expected)
        throw new IOException(s"the upload holds ${writer.bytes} bytes, but the parts add up to $expected")
      new Upload(upload, etags, writer.bytes, writer.bytesCopied, copied.lineBreaksAdded)
    } catch {
      case e: Throwable =>
        writer.close() // no call of this upload runs on after the abort
        dropUpload(upload)
        throw failing(e)
    } finally writer.close()
  }

  /**
   * A multipart upload to the target, every part in the store and nothing visible until it completes; if it
   * cannot be, it is aborted. `copied` of its bytes the store copied from the parts itself.
   */
  private final class Upload(
      val upload: String,
      val etags: Seq[String],
      val length: Long,
      val copied: Long,
      val lineBreaksAdded: Int
  ) extends Staged {
    def path: Path = target

    def publish(overwrite: Boolean): String =
      try {
        val note = complete(this, overwrite)
        forget(upload)
        s"the store copied ${mib(copied)} itself; ${mib(length - copied)} went through this JVM" + note
      } catch {
        case e: Throwable =>
          dropUpload(upload)
          throw failing(e)
      }
  }

  private def complete(uploaded: Upload, overwrite: Boolean): String = {
    import MultipartStore.Completion._
    import MultipartStore.Condition
    def completing(condition: Condition): MultipartStore.Completion =
      store.complete(key, uploaded.upload, uploaded.etags, condition)
    // With overwrite, the object seen when the merge began is the one replaced, where the store can say so.
    val condition =
      if (!overwrite) Condition.Absent
      else if (store.guardsOverwrite) seen.flatten.fold[Condition](Condition.Absent)(Condition.Matching)
      else Condition.Any
    completing(condition) match {
      case Done                          => ""
      case Exists if overwrite           => throw Publisher.replacedMeanwhile(target)
      case Exists                        => throw Publisher.exists(target, appeared = true)
      case ConditionRefused if overwrite =>
        throw new IOException(s"the store refused the condition of the upload to $target: $condition")
      case ConditionRefused =>
        if (fs.exists(target)) throw Publisher.exists(target, appeared = true)
        completing(Condition.Any) match {
          case Done  => ()
          case other => throw new IOException(s"the store did not complete the upload to $target: $other")
        }
        "; the store takes no conditional writes, so the target was looked for just before the upload " +
          "completed: a merge racing for it could still have replaced it"
    }
  }

  private def forget(upload: String): Unit = {
    Option(aborts.remove(upload)).foreach(ShutdownCleanup.cancel)
    Option(records.remove(upload)).foreach(UploadRecord.remove(fs, _))
  }

  // The record goes after the abort: a JVM stopped in between leaves no upload without its record.
  private def dropUpload(upload: String): Unit = {
    abortQuietly(upload)
    forget(upload)
  }

  // The first error is the one to report; an upload that cannot be aborted is said in the log.
  private def abortQuietly(upload: String): Unit =
    try store.abort(key, upload)
    catch {
      case e: Exception =>
        log.warn(
          s"sparkmerge: could not abort the upload $upload to $target: ${FirstLine.of(e)}; a lifecycle " +
            "rule for incomplete multipart uploads removes it"
        )
    }

  private def mib(bytes: Long): String = f"${bytes / 1048576.0}%.1f MiB"
}
