package sparkmerge.copy

import java.io.OutputStream

import org.apache.hadoop.fs.FileSystem

import sparkmerge.MergeProgress
import sparkmerge.plan.Piece

/**
 * Reads pieces, in the order given, into an output stream through one large buffer, each checked against its
 * checksum file, while a [[Prefetcher]] opens the next ones. What the copy strategy and the uploads to an
 * object store have in common.
 */
private[sparkmerge] final class PieceReader(fs: FileSystem, pieces: IndexedSeq[Piece], bufferBytes: Int)
    extends AutoCloseable {

  private val buffer = new Array[Byte](bufferBytes)
  private val prefetcher =
    new Prefetcher(fs, pieces.filter(_.length > 0), PieceReader.PrefetchThreads, PieceReader.PrefetchHeadBytes)

  /**
   * Writes the next piece of those given (which must be `piece`) to `out`; returns the last byte it wrote, or -1
   * if it wrote none or the piece was decoded (its end is not the part's).
   */
  def copy(piece: Piece, out: CountingOutputStream, progress: MergeProgress): Int =
    if (piece.length == 0) -1
    else {
      val opened = prefetcher.next()
      val before = out.count
      val check = ChecksumCheck.of(fs, piece)
      try write(piece, opened, check, out, progress)
      finally {
        check.foreach(_.close())
        opened.stream.close()
      }
      if (out.count > before && !piece.isInstanceOf[Piece.Recoded]) out.last else -1
    }

  override def close(): Unit = prefetcher.close()

  private def write(
      piece: Piece,
      opened: Prefetcher.Opened,
      check: Option[ChecksumCheck],
      out: OutputStream,
      p: MergeProgress
  ): Unit = {
    val input = check.map(new CheckedInput(opened.stream, _))
    piece match {
      case recoded: Piece.Recoded =>
        Recoder.recode(recoded, input.getOrElse(opened.stream), out, buffer)
        p.advance(recoded.length)
      case resynced: Piece.Resynced =>
        val in = input.getOrElse(opened.stream)
        AvroBlocks.skipHeader(resynced, in)
        p.advance(resynced.offset)
        AvroBlocks.copy(resynced, in, out, buffer, p.advance)
      case _ =>
        val (offset, cut) = piece match {
          case slice: Piece.Slice => (slice.offset, slice.cut)
          case _                  => (0L, 0L)
        }
        p.advance(offset)
        for (c <- check; header <- opened.skipped) c.update(header, 0, header.length)
        check.foreach(_.update(opened.head, 0, opened.length))
        out.write(opened.head, 0, opened.length)
        p.advance(opened.length)
        // A whole piece is read to its end, so that a part that grew since it was listed fails the length check.
        val rest = if (cut > 0) piece.length - offset - cut - opened.length else Long.MaxValue
        if (!opened.ended) StreamPump.copy(input.getOrElse(opened.stream), out, buffer, p.advance, rest)
        p.advance(cut) // read by the check, if there is one, as it finishes
    }
    input.foreach(_.finish())
  }
}

private[sparkmerge] object PieceReader {
  private val PrefetchThreads = 4
  private val PrefetchHeadBytes = 1 << 20
}
