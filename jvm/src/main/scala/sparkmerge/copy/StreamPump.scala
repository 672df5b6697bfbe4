package sparkmerge.copy

import java.io.{InputStream, OutputStream}

/** Moves what is left of a stream, or its next `limit` bytes, to another through one buffer, telling `moved` of each read. */
private[sparkmerge] object StreamPump {
  def copy(
      in: InputStream,
      out: OutputStream,
      buffer: Array[Byte],
      moved: Long => Unit,
      limit: Long = Long.MaxValue
  ): Long = {
    var total = 0L
    def next(): Int =
      if (total >= limit) -1 else in.read(buffer, 0, math.min(buffer.length.toLong, limit - total).toInt)
    var n = next()
    while (n >= 0) {
      out.write(buffer, 0, n)
      total += n
      moved(n.toLong)
      n = next()
    }
    total
  }
}
