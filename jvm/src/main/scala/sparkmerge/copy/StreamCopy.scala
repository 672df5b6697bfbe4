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

  /** Writes the plan's pieces to `out`; returns what it wrote. */
  def run(fs: FileSystem, plan: MergePlan, out: OutputStream, bufferBytes: Int, progress: MergeProgress): Copied = {
    require(plan.resumedBytes == 0L, s"a stream cannot resume the file written ahead for ${plan.target}")
    val buffer = new Array[Byte](bufferBytes)
    val counted = new CountingOutputStream(out)
    val lineEnds = new LineEnds(plan)
    val data = plan.pieces.zipWithIndex.filter(_._1.length > 0)
    val prefetcher = new Prefetcher(fs, data.map(_._1), PrefetchThreads, PrefetchHeadBytes)
    try
      data.foreach { case (piece, index) =>
        val opened = prefetcher.next()
        val before = counted.count
        val check = ChecksumCheck.of(fs, piece)
        try copy(piece, opened, check, counted, buffer, progress)
        finally {
          check.foreach(_.close())
          opened.stream.close()
        }
        val last = if (counted.count > before && !piece.isInstanceOf[Piece.Recoded]) counted.last else -1
        counted.write(lineEnds.after(index, piece, last))
        progress.fileDone(piece.files)
      }
    finally prefetcher.close()
    Copied(counted.count, lineEnds.added)
  }

  private def copy(
      piece: Piece,
      opened: Prefetcher.Opened,
      check: Option[ChecksumCheck],
      out: OutputStream,
      buffer: Array[Byte],
      p: MergeProgress
  ): Unit = {
    val input = check.map(new CheckedInput(opened.stream, _))
    piece match {
      case recoded: Piece.Recoded =>
        Recoder.recode(recoded, input.getOrElse(opened.stream), out, buffer)
        p.advance(recoded.length)
      case _ =>
        piece match {
          case tail: Piece.Tail => p.advance(tail.offset)
          case _                =>
        }
        for (c <- check; header <- opened.skipped) c.update(header, 0, header.length)
        check.foreach(_.update(opened.head, 0, opened.length))
        out.write(opened.head, 0, opened.length)
        p.advance(opened.length)
        if (!opened.ended) StreamPump.copy(input.getOrElse(opened.stream), out, buffer, p.advance)
    }
    input.foreach(_.finish())
  }
}
