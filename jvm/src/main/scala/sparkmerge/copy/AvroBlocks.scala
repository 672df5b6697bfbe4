package sparkmerge.copy

import java.io.{EOFException, InputStream, OutputStream}

import sparkmerge.MergeFailedException
import sparkmerge.plan.Piece

/**
 * Copies the blocks of an Avro part ([[Piece.Resynced]]): each is its row count and byte count (Avro longs),
 * its bytes (compressed or not, never looked into), and the file's sync marker, which is checked against the
 * part's and written as the merged file's. What Avro's `DataFileWriter.appendAllFrom` does, without a schema.
 */
private[sparkmerge] object AvroBlocks {

  /** Passes over the part's header, which a [[CheckedInput]] reads for its check. */
  def skipHeader(piece: Piece.Resynced, in: InputStream): Unit = {
    var left = piece.offset
    while (left > 0) {
      val n = in.skip(left)
      if (n > 0) left -= n
      else if (in.read() < 0) damaged(piece, piece.offset - left, "a header cut short")
      else left -= 1
    }
  }

  /** Copies the blocks from `in`, which stands at the first, to `out`; returns the bytes written. */
  def copy(
      piece: Piece.Resynced,
      in: InputStream,
      out: OutputStream,
      buffer: Array[Byte],
      moved: Long => Unit
  ): Long = {
    val from = piece.from.toArray
    val to = piece.to.toArray
    val sync = new Array[Byte](from.length)
    var total = 0L
    var first = in.read()
    while (first >= 0) {
      val count = long(piece, in, first, out)
      val size = long(piece, in, in.read(), out)
      if (count._1 < 0 || size._1 < 0) damaged(piece, piece.offset + total, "a block of a negative size")
      val copied = StreamPump.copy(in, out, buffer, moved, size._1)
      if (copied != size._1) damaged(piece, piece.offset + total, "a block that ends early")
      readFully(piece, in, sync)
      if (!java.util.Arrays.equals(sync, from))
        damaged(piece, piece.offset + total + count._2 + size._2 + size._1, "a block not followed by its sync marker")
      out.write(to)
      val block = count._2 + size._2 + size._1 + sync.length
      moved((count._2 + size._2 + sync.length).toLong)
      total += block
      first = in.read()
    }
    total
  }

  /** An Avro long (zig-zag, seven bits a byte) whose first byte is `first`, copied to `out`; and its bytes. */
  private def long(piece: Piece.Resynced, in: InputStream, first: Int, out: OutputStream): (Long, Int) = {
    var b = first
    var value = 0L
    var shift = 0
    var bytes = 0
    while ({
      if (b < 0) damaged(piece, -1, "a block count cut short")
      if (bytes == 10) damaged(piece, -1, "a block count longer than a long")
      out.write(b)
      value |= (b & 0x7fL) << shift
      shift += 7
      bytes += 1
      (b & 0x80) != 0
    }) b = in.read()
    ((value >>> 1) ^ -(value & 1), bytes)
  }

  private def readFully(piece: Piece.Resynced, in: InputStream, into: Array[Byte]): Unit = {
    var got = 0
    while (got < into.length) {
      val n = in.read(into, got, into.length - got)
      if (n < 0) damaged(piece, -1, "a block without its sync marker")
      got += n
    }
  }

  private def damaged(piece: Piece.Resynced, at: Long, what: String): Nothing =
    throw new MergeFailedException(
      s"${piece.path} is damaged: ${if (at >= 0) s"at byte $at, " else ""}$what; write the part again",
      Some(new EOFException(what))
    )
}
