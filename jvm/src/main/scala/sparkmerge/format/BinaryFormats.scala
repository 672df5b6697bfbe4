package sparkmerge.format

import java.nio.charset.StandardCharsets.ISO_8859_1

import org.apache.hadoop.fs.FileSystem

import sparkmerge.UnsupportedFormatException
import sparkmerge.parts.{Part, PartFiles}

/**
 * Refuses parts that are not lines of text: columnar and container formats carry a header or footer of their
 * own and become unreadable when joined. Told by extension, and by the first bytes of the first non-empty part
 * for files named without one; parts that each start with a byte-order mark too ([[ByteOrderMarks]]).
 */
private[sparkmerge] object BinaryFormats {

  private val Extensions = Seq(".parquet" -> "Parquet", ".orc" -> "ORC", ".avro" -> "Avro")

  def refuse(fs: FileSystem, parts: Seq[Part]): Unit = {
    parts.foreach { part =>
      val name = part.name.toLowerCase(java.util.Locale.ROOT)
      Extensions.collectFirst { case (ext, format) if name.endsWith(ext) => format }.foreach(fail(part, _))
    }
    parts.find(p => p.length >= 8 && Codec.of(p) == Codec.Plain).foreach { part =>
      val head = PartFiles.readAt(fs, part.path, part.length, 0L, 4)
      val tail = PartFiles.readAt(fs, part.path, part.length, part.length - 4, 4)
      formatOf(new String(head, ISO_8859_1), new String(tail, ISO_8859_1)).foreach(fail(part, _))
    }
    val withData = parts.filter(_.length > 0)
    withData.headOption.filter(_ => withData.size > 1).foreach { first =>
      ByteOrderMarks.refuse(first, decodedHead(fs, first), withData.size)
    }
  }

  /** The first bytes of a part as its codec decodes them, for its byte-order mark. */
  private def decodedHead(fs: FileSystem, part: Part): Array[Byte] = {
    val in = Codec.of(part).decode(PartFiles.open(fs, part.path, part.length, PartFiles.Random(4)))
    try {
      val head = new Array[Byte](4)
      var got = 0
      var n = 0
      while (got < head.length && n >= 0) {
        n = in.read(head, got, head.length - got)
        if (n > 0) got += n
      }
      java.util.Arrays.copyOf(head, got)
    } finally in.close()
  }

  // Head and tail together, so that a CSV whose header happens to start with "ORC" is not refused.
  private def formatOf(head: String, tail: String): Option[String] =
    if (head == "PAR1" && tail == "PAR1") Some("Parquet")
    else if (head.startsWith("ORC") && tail.startsWith("ORC")) Some("ORC") // the postscript: "ORC", its length
    else if (head == "Obj\u0001") Some("Avro")
    else None

  private def fail(part: Part, format: String): Nothing =
    throw new UnsupportedFormatException(
      s"${part.path} is a $format file, and $format files cannot be joined end to end: keep the directory " +
        "(every reader of the format takes it), or write one file with df.coalesce(1).write"
    )
}
