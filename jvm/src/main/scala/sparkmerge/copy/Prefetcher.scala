package sparkmerge.copy

import java.io.InputStream
import java.util.concurrent.{Callable, ExecutionException, ExecutorService, Executors, Future, ThreadFactory, TimeUnit}

import scala.collection.mutable

import org.apache.hadoop.fs.{FSDataInputStream, FileSystem}

import sparkmerge.parts.PartFiles
import sparkmerge.plan.Piece

/**
 * Opens the next pieces, and reads their first bytes, on a few threads while the writer writes the current one.
 * On an object store opening a file costs tens of milliseconds, and 10,000 small parts would spend minutes just
 * waiting; here the writer finds them ready. Memory stays bounded: at most `window` pieces of at most
 * `headBytes` each are held ahead of the writer.
 */
private[sparkmerge] final class Prefetcher(fs: FileSystem, pieces: IndexedSeq[Piece], threads: Int, headBytes: Int)
    extends AutoCloseable {
  import Prefetcher.Opened

  private val window = threads * 2
  private val pool: ExecutorService = Executors.newFixedThreadPool(threads, Prefetcher.daemons)
  private val queued = mutable.Queue.empty[Future[Opened]]
  private var submitted = 0
  // What the threads opened and the writer has not taken, closed by close(): a future of a task that never ran,
  // or that was cancelled while it ran, has nothing to give back, and waiting on one can be forever.
  private val untaken = java.util.concurrent.ConcurrentHashMap.newKeySet[FSDataInputStream]()

  fill()

  /** The next piece in order; the caller closes its stream. */
  def next(): Opened = {
    val opened =
      try queued.dequeue().get()
      catch { case e: ExecutionException => throw e.getCause } // the reader's own error, as if read here
    untaken.remove(opened.stream)
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
    val in = PartFiles.open(fs, piece.path, piece.length, PartFiles.Sequential)
    untaken.add(in)
    try
      piece match {
        // The writer decodes these, or reads them block by block.
        case _: Piece.Recoded | _: Piece.Resynced => new Opened(in, None, Array.emptyByteArray, 0, ended = false)
        case _                                    =>
          // A header to drop is skipped; unless the piece is checked, and then its bytes are kept for the check.
          val skipped = piece match {
            case slice: Piece.Slice if slice.checksum.isDefined =>
              val header = new Array[Byte](slice.offset.toInt)
              Some(header.take(readUpTo(in, header)))
            case slice: Piece.Slice =>
              in.seek(slice.offset)
              None
            case _ => None
          }
          // A slice that drops an end stops before it; other pieces are read to their end, however long.
          val until = piece match {
            case slice: Piece.Slice if slice.cut > 0 => Some(slice.until - slice.offset)
            case _                                   => None
          }
          val head = new Array[Byte](math.min(headBytes.toLong, until.getOrElse(piece.length)).toInt)
          val n = if (head.isEmpty) 0 else readUpTo(in, head)
          new Opened(in, skipped, head, n, ended = n < head.length || until.contains(n.toLong))
      }
    catch {
      case e: Throwable =>
        untaken.remove(in)
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
    pool.awaitTermination(Prefetcher.StopSeconds, TimeUnit.SECONDS)
    untaken.forEach { in =>
      try in.close()
      catch { case _: java.io.IOException => () } // going anyway: the first error is the one to report
    }
    untaken.clear()
    queued.clear()
  }
}

private[sparkmerge] object Prefetcher {

  /** How long a reader may take to see that it is stopped: an open or a read under way ends first. */
  private val StopSeconds = 30L

  /**
   * A piece, opened and positioned: its first `length` bytes are in `head`, the rest (if any) in `stream`; the
   * header it drops is in `skipped` where a check needs it.
   */
  final class Opened(
      val stream: FSDataInputStream,
      val skipped: Option[Array[Byte]],
      val head: Array[Byte],
      val length: Int,
      val ended: Boolean
  )

  private val daemons: ThreadFactory = (task: Runnable) => {
    val thread = new Thread(task, "sparkmerge-prefetch")
    thread.setDaemon(true)
    thread
  }
}
