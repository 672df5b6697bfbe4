package sparkmerge.objectstore

import org.apache.hadoop.fs.{FSDataOutputStream, FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, MergeProgress}
import sparkmerge.copy.StreamCopy
import sparkmerge.plan.{MergePlan, Piece}
import sparkmerge.publish.{Destination, Publisher, Staged}

/**
 * A target on an object store whose multipart calls sparkmerge cannot make (not Apache's S3A, or a key it may
 * not copy with): the copy is written straight to the target through the store's own stream, which uploads as
 * it goes and makes the object appear only on close. A failure aborts the stream and nothing appears. There is
 * no hidden object and no rename, which on such a store would copy every byte a second time.
 *
 * @param why why the store does not copy the parts itself, for the result's reason
 */
private[sparkmerge] final class StreamingDestination(val target: Path, val fs: FileSystem, why: String)
    extends Destination {
  private val log = LoggerFactory.getLogger(classOf[StreamingDestination])

  def dataFs: FileSystem = fs

  override def objectStore: Boolean = true

  override def whyNotInStore(source: FileSystem, pieces: Seq[Piece]): Option[String] = Some(why)

  def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged = {
    // Overwrite here only lets the stream be opened: whether the target may be replaced is decided on publish.
    val stream = unchanged(fs.create(target, true, bufferBytes))
    try {
      val copied = StreamCopy.run(source, plan, stream, bufferBytes, progress)
      new OpenStream(stream, copied.bytes, copied.lineBreaksAdded)
    } catch {
      case e: Throwable =>
        abort(stream)
        throw failing(e)
    }
  }

  /** The target's own stream, written and not yet closed: closing it makes the object appear, aborting it not. */
  private final class OpenStream(stream: FSDataOutputStream, val length: Long, val lineBreaksAdded: Int)
      extends Staged {
    def path: Path = target

    def publish(overwrite: Boolean): String =
      try {
        if (!overwrite && fs.exists(target)) throw Publisher.exists(target, appeared = true)
        stream.close()
        if (overwrite) ""
        else
          "the store completes no conditional writes through this file system, so the target was looked for " +
            "just before the object was completed: a merge racing for it could still have replaced it"
      } catch {
        case e: Throwable =>
          abort(stream)
          throw failing(e)
      }
  }

  private def abort(stream: FSDataOutputStream): Unit =
    try { stream.abort(); () }
    catch { case e: Exception => log.warn(s"sparkmerge: could not abort the upload to $target: ${FirstLine.of(e)}") }
}

private[sparkmerge] object StreamingDestination {

  /** Hadoop's name for an output stream that can be dropped before it completes (S3A has them). */
  val Abortable = "fs.capability.outputstream.abortable"
}
