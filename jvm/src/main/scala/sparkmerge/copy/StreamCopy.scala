package sparkmerge.copy

import java.io.OutputStream

import org.apache.hadoop.fs.FileSystem

import sparkmerge.MergeProgress
import sparkmerge.plan.{MergePlan, Piece}

/**
 * The copy strategy on any file system: each piece read in order and written to one output stream, through one
 * large buffer, while a [[Prefetcher]] opens the next pieces.
 */
object StreamCopy {

  private val PrefetchThreads = 4
  private val PrefetchHeadBytes = 1 << 20

  /** Writes the plan's pieces to `out`; returns the bytes written. */
  def run(fs: FileSystem, plan: MergePlan, out: OutputStream, bufferBytes: Int, progress: MergeProgress): Long = {
    require(plan.resumedBytes == 0L, s"a stream cannot resume the file written ahead for ${plan.target}")
    val buffer = new Array[Byte](bufferBytes)
    val data = plan.pieces.filter(_.length > 0)
    val prefetcher = new Prefetcher(fs, data, PrefetchThreads, PrefetchHeadBytes)
    try
      data.foldLeft(0L) { (written, piece) =>
        val opened = prefetcher.next()
        val added =
          try copy(piece, opened, out, buffer, progress)
          finally opened.stream.close()
        progress.fileDone(piece.files)
        written + added
      }
    finally prefetcher.close()
  }

  private def copy(piece: Piece, opened: Prefetcher.Opened, out: OutputStream, buffer: Array[Byte], p: MergeProgress) =
    piece match {
      case recoded: Piece.Recoded =>
        val written = Recoder.recode(recoded, opened.stream, out, buffer)
        p.advance(recoded.length)
        written
      case _ =>
        piece match {
          case tail: Piece.Tail => p.advance(tail.offset)
          case _                =>
        }
        out.write(opened.head, 0, opened.length)
        p.advance(opened.length)
        opened.length + (if (opened.ended) 0L else StreamPump.copy(opened.stream, out, buffer, p.advance))
    }
}
