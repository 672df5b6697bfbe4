package sparkmerge.copy

import java.nio.ByteBuffer
import java.util.concurrent.{Callable, ExecutionException, ExecutorService, Executors, Future, ThreadFactory}

/** One thread that checks buffers against checksums while the copy writes them out. */
private[sparkmerge] final class Checker extends AutoCloseable {
  private val thread: ExecutorService = Executors.newSingleThreadExecutor(Checker.daemon)

  /** Checks bytes `from` to `to` of `buffer`, which nothing may change until the check ends. */
  def update(check: ChecksumCheck, buffer: ByteBuffer, from: Int, to: Int): Future[Unit] = {
    val view = buffer.duplicate() // its own position and limit, taken before the writer moves the buffer's
    submit(() => check.update(view, from, to))
  }

  /** Runs `work` after every check submitted before it. */
  private def submit(work: () => Unit): Future[Unit] =
    thread.submit(new Callable[Unit] { def call(): Unit = work() })

  override def close(): Unit = {
    thread.shutdownNow()
    ()
  }
}

private[sparkmerge] object Checker {

  /** Waits for a check; a mismatch is thrown as if found here. */
  def await(check: Future[Unit]): Unit =
    try check.get()
    catch { case e: ExecutionException => throw e.getCause }

  private val daemon: ThreadFactory = (task: Runnable) => {
    val thread = new Thread(task, "sparkmerge-checksum")
    thread.setDaemon(true)
    thread
  }
}
