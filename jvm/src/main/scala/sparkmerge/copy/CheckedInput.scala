package sparkmerge.copy

import java.io.InputStream

/**
 * Hands each byte read to a [[ChecksumCheck]]. Skipped bytes are read, so that they are checked too; closing
 * it closes nothing, since a decoder that closes what it reads must not end the check before [[finish]].
 */
private[sparkmerge] final class CheckedInput(in: InputStream, check: ChecksumCheck) extends InputStream {

  override def read(): Int = {
    val b = in.read()
    if (b >= 0) check.update(Array(b.toByte), 0, 1)
    b
  }

  override def read(bytes: Array[Byte], offset: Int, length: Int): Int = {
    val n = in.read(bytes, offset, length)
    if (n > 0) check.update(bytes, offset, n)
    n
  }

  override def skip(n: Long): Long = {
    val buffer = new Array[Byte](math.min(n, 64L << 10).toInt.max(1))
    var skipped = 0L
    var read = 0
    while (skipped < n && read >= 0) {
      read = this.read(buffer, 0, math.min(buffer.length.toLong, n - skipped).toInt)
      if (read > 0) skipped += read
    }
    skipped
  }

  override def close(): Unit = ()

  /** Reads what is left, then checks the last run and that the checksum file ends there. */
  def finish(): Unit = {
    val buffer = new Array[Byte](64 << 10)
    while (read(buffer, 0, buffer.length) >= 0) {}
    check.finish()
  }
}
