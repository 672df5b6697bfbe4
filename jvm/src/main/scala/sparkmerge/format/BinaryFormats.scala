package sparkmerge.format

import java.nio.charset.StandardCharsets.ISO_8859_1

import org.apache.hadoop.fs.FileSystem

import sparkmerge.UnsupportedFormatException
import sparkmerge.parts.{Part, PartFiles}

/**
 * Tells parts that are not lines of text: columnar and container formats carry a header or footer of their
 * own and become unreadable when joined end to end. Each is joined its own way instead: Parquet and ORC by a
 * new footer ([[sparkmerge.columnar.ColumnarPieces]]), XML and Avro by their planners; what the planner takes
 * none of is refused here. Told by extension, and by the first bytes of the first non-empty part for files
 * named without one.
 */
private[sparkmerge] object BinaryFormats {

  private val Extensions = Seq(".parquet" -> "Parquet", ".orc" -> "ORC", ".avro" -> "Avro", ".xml" -> "XML")

  /** The columnar or container format of the parts, told as [[refuse]] tells it, with the part that shows it. */
  def of(fs: FileSystem, parts: Seq[Part]): Option[(Part, String)] =
    byName(parts).orElse {
      parts.find(p => p.length >= 8 && Codec.of(p) == Codec.Plain).flatMap { part =>
        val head = PartFiles.readAt(fs, part.path, part.length, 0L, 4)
        val tail = PartFiles.readAt(fs, part.path, part.length, part.length - 4, 4)
        formatOf(new String(head, ISO_8859_1), new String(tail, ISO_8859_1)).map(part -> _)
      }
    }

  private def byName(parts: Seq[Part]): Option[(Part, String)] =
    parts.iterator
      .map(part => part -> part.name.toLowerCase(java.util.Locale.ROOT))
      .collectFirst(Function.unlift { case (part, name) =>
        Extensions.collectFirst { case (ext, format) if name.endsWith(ext) => part -> format }
      })

  def refuse(fs: FileSystem, parts: Seq[Part]): Unit =
    of(fs, parts).foreach { case (part, format) => fail(part, format) }

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
