package sparkmerge.objectstore

import java.io.{IOException, OutputStream}
import java.util.concurrent.{
  Callable,
  ExecutionException,
  ExecutorService,
  Executors,
  Future,
  Semaphore,
  ThreadFactory,
  TimeUnit
}

import scala.collection.mutable.ArrayBuffer

import org.apache.hadoop.fs.Path

import sparkmerge.MergeProgress

/**
 * Lays bytes out as the parts of one multipart upload, in order: ranges of objects in the bucket become parts
 * the store copies itself, and the bytes written to [[stream]] (small parts, dropped headers' neighbours,
 * anything decoded) are gathered into parts this JVM uploads. Every part but the last holds at least
 * `minPart` bytes: before a copied range, gathered bytes short of that take the range's first bytes.
 *
 * Part numbers are given here, in order; the calls run on `threads` threads, with at most a few gathered parts
 * held in memory at once.
 *
 * @param readRange writes bytes `from` until `until` of a part (its path and length) to a stream, for a range
 *                  too short to copy
 */
private[sparkmerge] final class MultipartWriter(
    store: MultipartStore,
    key: String,
    upload: String,
    limits: PartLimits,
    progress: MergeProgress,
    readRange: (Path, Long, Long, Long, OutputStream) => Unit
) extends AutoCloseable {

  private val pool: ExecutorService = Executors.newFixedThreadPool(limits.threads, MultipartWriter.daemons)
  // Gathered parts waiting for their upload, each up to uploadBytes: what bounds this JVM's memory.
  private val buffers = new Semaphore(math.min(limits.threads, MultipartWriter.BuffersInFlight))
  private val parts = ArrayBuffer.empty[Future[String]]
  private var gathered = new Array[Byte](0)
  private var filled = 0
  private var written = 0L
  private var copied = 0L
  @volatile private var failed: Throwable = null

  /** Bytes of the object so far: copied by the store and gathered here. */
  def bytes: Long = written

  /** Of [[bytes]], those the store copied without this JVM reading them. */
  def bytesCopied: Long = copied

  /** The bytes this JVM reads or makes go here, in their place in the object. */
  val stream: OutputStream = new OutputStream {
    override def write(b: Int): Unit = write(Array(b.toByte), 0, 1)
    override def write(bytes: Array[Byte], offset: Int, length: Int): Unit = gather(bytes, offset, length)
  }

  /**
   * Bytes `from` until `until` of `source` (an object of the bucket) come next. The store copies them, as one
   * part or, past the largest part, several; a range too short for a part of its own after what was gathered
   * is read instead.
   */
  def copyRange(source: Path, length: Long, from: Long, until: Long): Unit = {
    val need = if (filled > 0) limits.minPart - filled else 0L
    if (until - from - need.max(0L) < limits.minPart) readRange(source, length, from, until, stream)
    else {
      val start = from + need.max(0L)
      if (need > 0) readRange(source, length, from, start, stream)
      if (filled > 0) flush()
      val bytes = until - start
      val count = ((bytes + limits.maxPart - 1) / limits.maxPart).toInt
      val sourceKey = store.key(source)
      (0 until count).foreach { i =>
        val first = start + bytes * i / count
        val end = start + bytes * (i + 1) / count
        submit(number => {
          val etag = store.copyPart(key, upload, number, sourceKey, first, end - 1)
          progress.settle(end - first)
          etag
        })
      }
      written += bytes
      copied += bytes
    }
  }

  /** Uploads what is gathered as the last part, waits for every part, and returns their ETags in order. */
  def finish(): Seq[String] = {
    // An empty object is one empty part: S3 completes no upload without parts.
    if (filled > 0 || parts.isEmpty) flush()
    parts.map(await).toSeq
  }

  override def close(): Unit = {
    pool.shutdownNow()
    pool.awaitTermination(MultipartWriter.StopSeconds, TimeUnit.SECONDS)
    ()
  }

  private def gather(bytes: Array[Byte], offset: Int, length: Int): Unit = {
    var at = offset
    while (at < offset + length) {
      if (gathered.length == 0) {
        buffers.acquire()
        gathered = new Array[Byte](limits.uploadBytes)
      }
      val take = math.min(offset + length - at, gathered.length - filled)
      System.arraycopy(bytes, at, gathered, filled, take)
      filled += take
      at += take
      written += take
      if (filled == gathered.length) flush()
    }
  }

  private def flush(): Unit = {
    if (gathered.length == 0) buffers.acquire()
    val bytes = gathered
    val length = filled
    gathered = new Array[Byte](0)
    filled = 0
    submit(number =>
      try store.uploadPart(key, upload, number, bytes, length)
      finally buffers.release()
    )
  }

  private def submit(request: Int => String): Unit = {
    val number = parts.size + 1
    if (number > limits.maxParts)
      throw new IOException(s"the upload to $key needs more than ${limits.maxParts} parts")
    // A part that failed stops the rest: no more calls are made once one of them is known to have failed.
    Option(failed).foreach(e => throw e)
    parts += pool.submit(new Callable[String] {
      def call(): String =
        try request(number)
        catch {
          case e: Throwable =>
            failed = e
            throw e
        }
    })
  }

  private def await(part: Future[String]): String =
    try part.get()
    catch { case e: ExecutionException => throw e.getCause } // the call's own error, as if made here
}

private[sparkmerge] object MultipartWriter {
  private val BuffersInFlight = 4
  private val StopSeconds = 30L

  private val daemons: ThreadFactory = (task: Runnable) => {
    val thread = new Thread(task, "sparkmerge-multipart")
    thread.setDaemon(true)
    thread
  }
}
