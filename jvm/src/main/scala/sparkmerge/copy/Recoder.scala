package sparkmerge.copy

import java.io.{EOFException, InputStream, OutputStream}

import sparkmerge.plan.Piece

/** A compressed part without its header record: decoded, the record skipped, the rest encoded again. */
private[sparkmerge] object Recoder {

  /** Writes the piece's encoded rest to `out`, which stays open; returns the bytes written. */
  def recode(piece: Piece.Recoded, in: InputStream, out: OutputStream, buffer: Array[Byte]): Long = {
    val records = piece.codec.decode(in)
    try {
      skipFully(records, piece.dropBytes, piece)
      val first = records.read(buffer)
      if (first <= 0) 0L // the header was all there was: no empty stream is added
      else {
        val counted = new CountingOutputStream(out)
        val encoder = piece.codec.encode(counted)
        try {
          encoder.write(buffer, 0, first)
          StreamPump.copy(records, encoder, buffer, _ => ()) // the caller counts the input, not this output
        } finally encoder.close()
        counted.count
      }
    } finally records.close()
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
