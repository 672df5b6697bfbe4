package sparkmerge.copy

import java.io.OutputStream

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
