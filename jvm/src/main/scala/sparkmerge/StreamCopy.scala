package sparkmerge

import java.io.{EOFException, InputStream, OutputStream}

import org.apache.hadoop.fs.FileSystem

/**
 * The copy strategy on any file system: each piece read in order and written to one output stream, through one
 * large buffer, while [[ReadAhead]] opens the next pieces.
 */
object StreamCopy {

  private val ReadAheadThreads = 4
  private val ReadAheadHeadBytes = 1 << 20

  /** Writes the plan's pieces to `out`; returns the bytes written. */
  def run(fs: FileSystem, plan: MergePlan, out: OutputStream, bufferBytes: Int, progress: MergeProgress): Long = {
    val buffer = new Array[Byte](bufferBytes)
    val data = plan.pieces.filter(_.length > 0)
    val ahead = new ReadAhead(fs, data, ReadAheadThreads, ReadAheadHeadBytes)
    try
      data.foldLeft(0L) { (written, piece) =>
        val opened = ahead.next()
        val added =
          try copy(piece, opened, out, buffer, progress)
          finally opened.stream.close()
        progress.fileDone()
        written + added
      }
    finally ahead.close()
  }

  private def copy(piece: Piece, opened: ReadAhead#Opened, out: OutputStream, buffer: Array[Byte], p: MergeProgress) =
    piece match {
      case recoded: Piece.Recoded =>
        val written = recode(recoded, opened.stream, out, buffer)
        p.advance(recoded.length)
        written
      case _ =>
        piece match {
          case tail: Piece.Tail => p.advance(tail.offset)
          case _                =>
        }
        out.write(opened.head, 0, opened.length)
        p.advance(opened.length)
        opened.length + (if (opened.ended) 0L else pump(opened.stream, out, buffer, p))
    }

  private[sparkmerge] def recode(
      piece: Piece.Recoded,
      in: InputStream,
      out: OutputStream,
      buffer: Array[Byte]
  ): Long = {
    val lines = piece.codec.decode(in)
    skipFully(lines, piece.dropBytes, piece)
    val first = lines.read(buffer)
    if (first <= 0) 0L // the header was all there was: no empty stream is added
    else {
      val counted = new CountingOutputStream(out)
      val encoder = piece.codec.encode(counted)
      try {
        encoder.write(buffer, 0, first)
        pump(lines, encoder, buffer, MergeProgress.Silent)
      } finally encoder.close()
      counted.count
    }
  }

  private def pump(in: InputStream, out: OutputStream, buffer: Array[Byte], progress: MergeProgress): Long = {
    var total = 0L
    var n = in.read(buffer)
    while (n >= 0) {
      out.write(buffer, 0, n)
      total += n
      progress.advance(n)
      n = in.read(buffer)
    }
    total
  }

  private def skipFully(in: InputStream, bytes: Long, piece: Piece): Unit = {
    var left = bytes
    while (left > 0) {
      val skipped = in.skip(left)
      if (skipped <= 0) {
        if (in.read() < 0) throw new EOFException(s"${piece.path} ended inside its header")
        left -= 1
      } else left -= skipped
    }
  }
}

/** Counts the bytes that pass, so the merged length can be checked against the plan. */
final class CountingOutputStream(out: OutputStream) extends OutputStream {
  private var written = 0L

  def count: Long = written

  override def write(b: Int): Unit = {
    out.write(b)
    written += 1
  }

  override def write(b: Array[Byte], off: Int, len: Int): Unit = {
    out.write(b, off, len)
    written += len
  }

  override def flush(): Unit = out.flush()

  override def close(): Unit = out.close()
}
