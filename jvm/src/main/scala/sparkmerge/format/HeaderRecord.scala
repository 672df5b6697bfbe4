package sparkmerge.format

import java.io.{BufferedInputStream, ByteArrayOutputStream, InputStream}
import java.nio.charset.StandardCharsets.UTF_8

import org.apache.hadoop.fs.FileSystem

import sparkmerge.HeaderMismatchException
import sparkmerge.parts.Part

/**
 * The header record of a part, with its line terminator, read through the part's codec. A record, not a line:
 * a quoted column name may hold a line break, so a break inside quotes does not end it. Quotes are `"`, doubled
 * or escaped with `\` inside a quoted field, as Spark writes them by default.
 */
object HeaderRecord {

  // A header longer than this is not a header: the part probably is not CSV, or has no line breaks.
  private val MaxBytes = 1 << 20

  def read(fs: FileSystem, part: Part, codec: Codec): Array[Byte] =
    if (part.length == 0) Array.emptyByteArray
    else {
      // Closing the decoder closes the file, and frees what a decoder holds outside the heap (an Inflater).
      val in = new BufferedInputStream(codec.decode(fs.open(part.path, 64 << 10)), 8192)
      try readRecord(in, part)
      finally in.close()
    }

  private def readRecord(in: InputStream, part: Part): Array[Byte] = {
    val record = new ByteArrayOutputStream(256)
    var quoted = false
    var escaped = false
    var b = in.read()
    while (b != -1 && (quoted || b != '\n')) {
      record.write(b)
      if (escaped) escaped = false
      else if (quoted && b == '\\') escaped = true
      else if (b == '"') quoted = !quoted
      if (record.size > MaxBytes)
        throw new HeaderMismatchException(
          s"${part.path} has no line break in its first $MaxBytes bytes: it has no header line to keep once; " +
            "merge without header"
        )
      b = in.read()
    }
    if (b == '\n') record.write(b)
    record.toByteArray
  }

  /** For messages: the record as text, cut short. */
  def show(record: Array[Byte]): String = {
    val text = new String(record, UTF_8).stripLineEnd
    if (text.length > 80) text.take(77) + "..." else text
  }
}
