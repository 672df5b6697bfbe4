package sparkmerge.parts

import java.io.{EOFException, InputStream}

import org.apache.hadoop.fs.{FSDataInputStream, PositionedReadable, Seekable}

/**
 * A part read as positioned reads of exactly what each read asks, for a few bytes at a known place on a store
 * whose stream otherwise fetches a buffer of megabytes on its first read: Azure's ABFS fills 4 MiB (and reads
 * ahead) for a magic number or a header, whatever the read policy. Opened with its buffered positioned reads
 * off (`fs.azure.buffered.pread.disable`), each read here is one ranged request of the bytes it asks.
 */
private[sparkmerge] final class RangedReads(in: FSDataInputStream, length: Long)
    extends InputStream
    with Seekable
    with PositionedReadable {
  private var at = 0L

  override def read(): Int = {
    val one = new Array[Byte](1)
    if (read(one, 0, 1) < 0) -1 else one(0) & 0xff
  }

  override def read(bytes: Array[Byte], offset: Int, count: Int): Int =
    if (count == 0) 0
    else if (at >= length) -1
    else {
      val n = in.read(at, bytes, offset, math.min(count.toLong, length - at).toInt)
      if (n > 0) at += n
      n
    }

  override def skip(n: Long): Long = {
    val skipped = math.max(0L, math.min(n, length - at))
    at += skipped
    skipped
  }

  override def available(): Int = math.min(length - at, Int.MaxValue.toLong).toInt

  def seek(position: Long): Unit = {
    if (position < 0 || position > length) throw new EOFException(s"cannot seek to $position of $length bytes")
    at = position
  }

  def getPos: Long = at

  def seekToNewSource(target: Long): Boolean = false

  def read(position: Long, bytes: Array[Byte], offset: Int, count: Int): Int = in.read(position, bytes, offset, count)

  def readFully(position: Long, bytes: Array[Byte], offset: Int, count: Int): Unit =
    in.readFully(position, bytes, offset, count)

  def readFully(position: Long, bytes: Array[Byte]): Unit = in.readFully(position, bytes)

  override def close(): Unit = in.close()
}

private[sparkmerge] object RangedReads {

  /** The option that makes ABFS's positioned reads fetch just their bytes. */
  val UnbufferedPositionedReads = "fs.azure.buffered.pread.disable"
}
