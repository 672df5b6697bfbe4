package sparkmerge

import java.util.concurrent.atomic.{AtomicInteger, AtomicLong}

import org.slf4j.LoggerFactory

/**
 * The counters of one merge, safe to read from another thread while it runs: the Python wrapper polls them
 * for its progress bar. Every `logEveryMillis` the merge also logs a line with files, bytes, speed and ETA, so
 * a copy of many GiB is never silent for minutes.
 *
 * Bytes are done either by moving them, or by finding them in place ("settled": the start of the file written
 * while Spark wrote, the blocks of a concat). Both count as done; only moved bytes make the speed.
 *
 * Many files merged at once (one per partition value) share one progress for the whole set: each file's
 * merge counts in a [[child]], whose bytes and files count in the set's too.
 */
final class MergeProgress(logEveryMillis: Long = 5000L, parent: Option[MergeProgress] = None) {
  private val log = LoggerFactory.getLogger(classOf[MergeProgress])

  private val bytes = new AtomicLong
  private val settled = new AtomicLong
  private val files = new AtomicInteger
  @volatile private var target = ""
  @volatile private var total = 0L
  @volatile private var totalFileCount = 0
  @volatile private var started = System.nanoTime()
  @volatile private var lastLog = started
  @volatile private var finished = false
  @volatile private var ended = 0L

  def bytesDone: Long = bytes.get
  def bytesTotal: Long = total
  def filesDone: Int = files.get
  def filesTotal: Int = totalFileCount
  def isFinished: Boolean = finished

  /** Of the bytes done, those found in place rather than moved by the merge. */
  def bytesSettled: Long = settled.get

  /** Since the merge started (not the Spark job before it), frozen once it finishes. */
  def elapsedMillis: Long = ((if (finished) ended else System.nanoTime()) - started) / 1000000L

  private[sparkmerge] def start(target: String, files: Int, bytes: Long): Unit = {
    this.target = target
    totalFileCount = files
    total = bytes
    this.bytes.set(0L)
    settled.set(0L)
    this.files.set(0)
    started = System.nanoTime()
    lastLog = started
    finished = false
  }

  /** Whether this counts one file of a set: its own lines are details then, the set's are what is read. */
  private[sparkmerge] def inSet: Boolean = parent.isDefined

  /** The progress of one file of a set that this progress counts for. */
  private[sparkmerge] def child(): MergeProgress = new MergeProgress(logEveryMillis, Some(this))

  /**
   * Bytes the merge moved (read, and written unless dropped). Every copy reports here after each buffer, so it is
   * where a merge stops once the JVM is stopping, instead of writing on while its files are removed.
   */
  private[sparkmerge] def advance(n: Long): Unit = {
    publish.ShutdownCleanup.checkRunning()
    parent.foreach(_.advance(n))
    bytes.addAndGet(n)
    val now = System.nanoTime()
    if (now - lastLog >= logEveryMillis * 1000000L) {
      lastLog = now
      log.info(line(now))
    }
  }

  /** Bytes found in place: done, but no part of the merge's speed. */
  private[sparkmerge] def settle(n: Long): Unit = {
    parent.foreach(_.settle(n))
    settled.addAndGet(n)
    bytes.addAndGet(n)
  }

  private[sparkmerge] def fileDone(count: Int = 1): Unit = {
    parent.foreach(_.fileDone(count))
    files.addAndGet(count)
    ()
  }

  private[sparkmerge] def finish(): Unit = {
    // What the merge did not count as it went (a header cut short, say) is done now, in the set's count too.
    parent.foreach { set =>
      set.settle(math.max(total - bytes.get, 0L))
      set.fileDone(math.max(totalFileCount - files.get, 0))
    }
    bytes.set(total)
    files.set(totalFileCount)
    ended = System.nanoTime()
    finished = true
  }

  private def line(now: Long): String = {
    val done = bytes.get
    val seconds = math.max((now - started) / 1e9, 1e-3)
    val rate = (done - settled.get) / seconds
    val eta = if (rate > 0) f"${(total - done) / rate}%.0f s" else "?"
    f"sparkmerge: $target: ${files.get}/$totalFileCount files, ${mib(done)}%.0f of ${mib(total)}%.0f MiB " +
      f"(${100.0 * done / math.max(total, 1L)}%.0f%%), ${mib(rate.toLong)}%.0f MiB/s, ETA $eta"
  }

  private def mib(n: Long): Double = n / 1048576.0
}
