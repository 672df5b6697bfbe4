package sparkmerge.copy

import java.io.OutputStream

/** Counts the bytes that pass, and keeps the last, so the merged length can be checked against the plan. */
private[sparkmerge] final class CountingOutputStream(out: OutputStream) extends OutputStream {
  private var written = 0L
  private var lastByte = -1

  def count: Long = written

  /** The last byte written, or -1 before any. */
  def last: Int = lastByte

  override def write(b: Int): Unit = {
    out.write(b)
    written += 1
    lastByte = b & 0xff
  }

  override def write(b: Array[Byte], off: Int, len: Int): Unit = {
    out.write(b, off, len)
    written += len
    if (len > 0) lastByte = b(off + len - 1) & 0xff
  }

  override def flush(): Unit = out.flush()

  override def close(): Unit = out.close()
}
