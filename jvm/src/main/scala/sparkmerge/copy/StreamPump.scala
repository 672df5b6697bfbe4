package sparkmerge.copy

import java.io.{InputStream, OutputStream}

/** Moves what is left of a stream to another through one buffer, telling `moved` of each read. */
private[sparkmerge] object StreamPump {
  def copy(in: InputStream, out: OutputStream, buffer: Array[Byte], moved: Long => Unit): Long = {
    var total = 0L
    var n = in.read(buffer)
    while (n >= 0) {
      out.write(buffer, 0, n)
      total += n
      moved(n.toLong)
      n = in.read(buffer)
    }
    total
  }
}
