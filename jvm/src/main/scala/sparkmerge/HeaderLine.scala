package sparkmerge

import java.io.{ByteArrayOutputStream, InputStream}
import java.nio.charset.StandardCharsets.UTF_8

import org.apache.hadoop.fs.FileSystem

/** The first line of a part, with its line terminator, read through the part's codec. */
object HeaderLine {

  // A header longer than this is not a header: the part probably is not CSV, or has no line breaks.
  private val MaxBytes = 1 << 20

  def read(fs: FileSystem, part: Part, codec: Codec): Array[Byte] =
    if (part.length == 0) Array.emptyByteArray
    else {
      val raw = fs.open(part.path, 64 << 10)
      try readLine(codec.decode(raw), part)
      finally raw.close()
    }

  private def readLine(in: InputStream, part: Part): Array[Byte] = {
    val line = new ByteArrayOutputStream(256)
    var b = in.read()
    while (b != -1 && b != '\n') {
      line.write(b)
      if (line.size > MaxBytes)
        throw new HeaderMismatchException(
          s"${part.path} has no line break in its first $MaxBytes bytes: it has no header line to keep once; " +
            "merge without header"
        )
      b = in.read()
    }
    if (b == '\n') line.write(b)
    line.toByteArray
  }

  /** For messages: the line as text, cut short. */
  def show(line: Array[Byte]): String = {
    val text = new String(line, UTF_8).stripLineEnd
    if (text.length > 80) text.take(77) + "..." else text
  }
}
