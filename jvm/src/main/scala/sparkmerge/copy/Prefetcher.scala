package sparkmerge.copy

import java.io.InputStream
import java.util.concurrent.{Callable, ExecutionException, ExecutorService, Executors, Future, ThreadFactory}

import scala.collection.mutable

import org.apache.hadoop.fs.{FSDataInputStream, FileSystem}

import sparkmerge.plan.Piece

/**
 * Opens the next pieces, and reads their first bytes, on a few threads while the writer writes the current one.
 * On an object store opening a file costs tens of milliseconds, and 10,000 small parts would spend minutes just
 * waiting; here the writer finds them ready. Memory stays bounded: at most `window` pieces of at most
 * `headBytes` each are held ahead of the writer.
 */
final class Prefetcher(fs: FileSystem, pieces: IndexedSeq[Piece], threads: Int, headBytes: Int) extends AutoCloseable {
  import Prefetcher.Opened

  private val window = threads * 2
  private val pool: ExecutorService = Executors.newFixedThreadPool(threads, Prefetcher.daemons)
  private val queued = mutable.Queue.empty[Future[Opened]]
  private var submitted = 0

  fill()

  /** The next piece in order; the caller closes its stream. */
  def next(): Opened = {
    val opened =
      try queued.dequeue().get()
      catch { case e: ExecutionException => throw e.getCause } // the reader's own error, as if read here
    fill()
    opened
  }

  private def fill(): Unit =
    while (queued.size < window && submitted < pieces.size) {
      val piece = pieces(submitted)
      queued.enqueue(pool.submit(new Callable[Opened] { def call(): Opened = open(piece) }))
      submitted += 1
    }

  private def open(piece: Piece): Opened = {
    val in = fs.open(piece.path, 64 << 10)
    try
      piece match {
        case _: Piece.Recoded => new Opened(in, Array.emptyByteArray, 0, ended = false) // decoded by the writer
        case _                =>
          piece match {
            case tail: Piece.Tail => in.seek(tail.offset)
            case _                =>
          }
          val head = new Array[Byte](math.min(headBytes.toLong, piece.length).toInt.max(1))
          val n = readUpTo(in, head)
          new Opened(in, head, n, ended = n < head.length)
      }
    catch {
      case e: Throwable =>
        in.close()
        throw e
    }
  }

  private def readUpTo(in: InputStream, buffer: Array[Byte]): Int = {
    var filled = 0
    var n = 0
    while (filled < buffer.length && n >= 0) {
      n = in.read(buffer, filled, buffer.length - filled)
      if (n > 0) filled += n
    }
    filled
  }

  /** Stops the threads and closes what they opened for pieces the writer never took. */
  override def close(): Unit = {
    pool.shutdownNow()
    queued.foreach { future =>
      try future.get().stream.close()
      catch { case _: Throwable => () } // the piece failed or was cancelled: nothing is open
    }
    queued.clear()
  }
}

object Prefetcher {

  /** A piece, opened and positioned: its first `length` bytes are in `head`, the rest (if any) in `stream`. */
  final class Opened(val stream: FSDataInputStream, val head: Array[Byte], val length: Int, val ended: Boolean)

  private val daemons: ThreadFactory = (task: Runnable) => {
    val thread = new Thread(task, "sparkmerge-prefetch")
    thread.setDaemon(true)
    thread
  }
}
