package sparkmerge

import java.io.{EOFException, InputStream, OutputStream}

import org.apache.hadoop.fs.FileSystem

/** The copy strategy: each piece read in order and written to one output stream, through one large buffer. */
object StreamCopy {

  private val StreamBufferBytes = 64 << 10

  /** Writes the plan's pieces to `out`; returns the bytes written. */
  def run(fs: FileSystem, plan: MergePlan, out: OutputStream, bufferBytes: Int, progress: MergeProgress): Long = {
    val buffer = new Array[Byte](bufferBytes)
    plan.pieces.foldLeft(0L) { (written, piece) =>
      val added = copy(fs, piece, out, buffer, progress)
      progress.fileDone()
      written + added
    }
  }

  private def copy(fs: FileSystem, piece: Piece, out: OutputStream, buffer: Array[Byte], progress: MergeProgress) =
    if (piece.length == 0) 0L
    else {
      // A small stream buffer: reads of the large copy buffer bypass it, and a buffer of that size allocated
      // for each of 10,000 small parts costs more than reading them.
      val in = fs.open(piece.path, StreamBufferBytes)
      try
        piece match {
          case _: Piece.Whole => pump(in, out, buffer, progress)
          case p: Piece.Tail  =>
            in.seek(p.offset)
            progress.advance(p.offset)
            pump(in, out, buffer, progress)
          case p: Piece.Recoded =>
            val written = recode(p, in, out, buffer)
            progress.advance(p.length)
            written
        }
      finally in.close()
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
