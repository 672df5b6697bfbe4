package sparkmerge

import java.util.concurrent.atomic.{AtomicInteger, AtomicLong}

import org.slf4j.LoggerFactory

/**
 * The counters of one merge, safe to read from another thread while it runs: the Python wrapper polls them
 * for its progress bar. Every `logEveryMillis` the merge also logs a line with files, bytes, speed and ETA, so
 * a copy of many GiB is never silent for minutes.
 */
final class MergeProgress(logEveryMillis: Long = 5000L) {
  private val log = LoggerFactory.getLogger(classOf[MergeProgress])

  private val bytes = new AtomicLong
  private val files = new AtomicInteger
  @volatile private var target = ""
  @volatile private var total = 0L
  @volatile private var totalFileCount = 0
  @volatile private var started = System.nanoTime()
  @volatile private var lastLog = started
  @volatile private var finished = false
  @volatile private var ended = 0L
  @volatile private var ahead = 0L

  def bytesDone: Long = bytes.get
  def bytesTotal: Long = total
  def filesDone: Int = files.get
  def filesTotal: Int = totalFileCount
  def isFinished: Boolean = finished

  /** Bytes in place before the merge started (copied while Spark wrote): counted as done, not in its speed. */
  def bytesAhead: Long = ahead

  /** Since the merge started (not the Spark job before it), frozen once it finishes. */
  def elapsedMillis: Long = ((if (finished) ended else System.nanoTime()) - started) / 1000000L

  private[sparkmerge] def start(target: String, files: Int, bytes: Long): Unit = {
    this.target = target
    totalFileCount = files
    total = bytes
    this.bytes.set(0L)
    this.files.set(0)
    ahead = 0L
    started = System.nanoTime()
    lastLog = started
    finished = false
  }

  private[sparkmerge] def advance(n: Long): Unit = {
    bytes.addAndGet(n)
    val now = System.nanoTime()
    if (now - lastLog >= logEveryMillis * 1000000L) {
      lastLog = now
      log.info(line(now))
    }
  }

  private[sparkmerge] def fileDone(): Unit = files.incrementAndGet()

  private[sparkmerge] def alreadyDone(bytes: Long, files: Int): Unit = {
    ahead = bytes
    this.bytes.addAndGet(bytes)
    this.files.addAndGet(files)
  }

  private[sparkmerge] def finish(): Unit = {
    bytes.set(total)
    files.set(totalFileCount)
    ended = System.nanoTime()
    finished = true
  }

  private def line(now: Long): String = {
    val done = bytes.get
    val seconds = math.max((now - started) / 1e9, 1e-3)
    val rate = (done - ahead) / seconds
    val eta = if (rate > 0) f"${(total - done) / rate}%.0f s" else "?"
    f"sparkmerge: $target: ${files.get}/$totalFileCount files, ${mib(done)}%.0f of ${mib(total)}%.0f MiB " +
      f"(${100.0 * done / math.max(total, 1L)}%.0f%%), ${mib(rate.toLong)}%.0f MiB/s, ETA $eta"
  }

  private def mib(n: Long): Double = n / 1048576.0
}

object MergeProgress {

  /** Counts nothing anyone reads: for the inner loops whose bytes are counted elsewhere. */
  val Silent: MergeProgress = new MergeProgress(Long.MaxValue / 2000000L)
}
