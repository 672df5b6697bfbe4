package sparkmerge.plan

import java.nio.charset.StandardCharsets.ISO_8859_1

import org.apache.hadoop.fs.FileSystem

import sparkmerge.UnsupportedFormatException
import sparkmerge.format.Codec
import sparkmerge.parts.{Part, PartFiles}

/**
 * XML parts as Spark 4's writer leaves them, each a document of its own: the prolog (the declaration and the
 * root's start tag), the rows, the root's end tag. Joined into one document, the first part keeps its prolog,
 * the last its end tag, and every part gives its rows, in order, as byte ranges never parsed: what
 * `coalesce(1).write.xml` would have written, byte for byte. The prolog and the end tag are read from the
 * parts (so `rootTag`, its attributes and `declaration` are whatever the parts were written with), and every
 * part must have the same.
 *
 * Where rows are indented (Spark's default), a row starts with a line break and the end tag takes the one
 * before it; without indentation (`indent=""`) the start tag is followed by a line break and each row ends with
 * one. Either way the joined rows are spaced as in one file.
 */
private[sparkmerge] object XmlPieces {

  /** How far into a part its prolog may reach, and how far from its end the end tag: both a few dozen bytes. */
  private val PrologBytes = 64 << 10
  private val EndBytes = 4 << 10

  /** A part's prolog (its first bytes) and end tag (its last). */
  private final case class Frame(part: Part, prolog: Array[Byte], end: Array[Byte])

  def of(fs: FileSystem, parts: Vector[Part], request: MergeRequest): Vector[Piece] = {
    request.onlyText("XML")
    val codec = Codec.common(parts)
    if (codec != Codec.Plain)
      throw new UnsupportedFormatException(
        s"${parts.head.path} is ${codec.describe} XML: its root element's tags are inside the compressed stream, " +
          "and compressed XML parts are not joined yet; write them uncompressed"
      )
    val frames = parts.filter(_.length > 0).map(frame(fs, _))
    frames.headOption.foreach { first =>
      frames.tail.foreach { other =>
        if (!java.util.Arrays.equals(other.prolog, first.prolog) || !java.util.Arrays.equals(other.end, first.end))
          throw new UnsupportedFormatException(
            s"${other.part.path} starts with '${show(other.prolog)}' and ends with '${show(other.end)}', not " +
              s"'${show(first.prolog)}' and '${show(first.end)}' as ${first.part.path}: the parts were not " +
              "written with one root tag and declaration; rewrite them with one"
          )
      }
    }
    frames match {
      case Vector()      => Vector.empty
      case Vector(whole) => Vector(Piece.Whole(whole.part.path, whole.part.length, whole.part.checksum))
      case _             =>
        frames.zipWithIndex.map { case (f, i) =>
          val from = if (i == 0) 0L else f.prolog.length.toLong
          val until = if (i == frames.size - 1) f.part.length else f.part.length - f.end.length
          Piece.Slice(f.part.path, f.part.length, from, until, f.part.checksum)
        }
    }
  }

  private def frame(fs: FileSystem, part: Part): Frame = {
    val head = PartFiles.readAt(fs, part.path, part.length, 0L, math.min(part.length, PrologBytes.toLong).toInt)
    val (rootEnd, name) = rootStart(part, head)
    // Without indentation the root's start tag is followed by a line break, and then at once by a row.
    val unindented = rootEnd + 1 < head.length && head(rootEnd) == '\n' && head(rootEnd + 1) == '<'
    val prolog = java.util.Arrays.copyOf(head, if (unindented) rootEnd + 1 else rootEnd)
    val tailBytes = math.min(part.length, EndBytes.toLong).toInt
    val tail = PartFiles.readAt(fs, part.path, part.length, part.length - tailBytes, tailBytes)
    val text = new String(tail, ISO_8859_1)
    val at = text.lastIndexOf(s"</$name")
    if (at < 0 || text.substring(at + 2 + name.length).trim != ">" || part.length - tailBytes + at < prolog.length)
      malformed(part, s"it does not end with the root's end tag </$name>")
    val from = if (!unindented && at > 0 && tail(at - 1) == '\n') at - 1 else at
    Frame(part, prolog, java.util.Arrays.copyOfRange(tail, from, tail.length))
  }

  /** Where the root's start tag ends (just after its `>`) in `head`, and the root's name. */
  private def rootStart(part: Part, head: Array[Byte]): (Int, String) = {
    val text = new String(head, ISO_8859_1)
    var at = if (text.startsWith("\u00ef\u00bb\u00bf")) 3 else 0 // UTF-8's byte-order mark, read as Latin-1
    // Before the root: whitespace, the declaration and other processing instructions, comments, a DOCTYPE.
    var skipping = true
    while (skipping) {
      while (at < text.length && Character.isWhitespace(text.charAt(at))) at += 1
      if (text.startsWith("<?", at)) at = after(part, text, at, "?>")
      else if (text.startsWith("<!--", at)) at = after(part, text, at, "-->")
      else if (text.startsWith("<!", at)) at = after(part, text, at, ">")
      else skipping = false
    }
    if (!text.startsWith("<", at)) malformed(part, "no root element starts it")
    val name = text.substring(at + 1).takeWhile(c => !Character.isWhitespace(c) && c != '>' && c != '/')
    var quote: Char = 0
    var i = at + 1 + name.length
    while (i < text.length && (quote != 0 || text.charAt(i) != '>')) {
      val c = text.charAt(i)
      if (quote != 0) { if (c == quote) quote = 0 }
      else if (c == '"' || c == '\'') quote = c
      i += 1
    }
    if (name.isEmpty || i >= text.length)
      malformed(part, s"its root element's start tag does not end in $PrologBytes bytes")
    if (text.charAt(i - 1) == '/') malformed(part, s"its root element <$name/> holds no rows")
    (i + 1, name)
  }

  private def after(part: Part, text: String, at: Int, end: String): Int = {
    val found = text.indexOf(end, at)
    if (found < 0) malformed(part, s"its prolog does not end in $PrologBytes bytes")
    found + end.length
  }

  private def malformed(part: Part, why: String): Nothing =
    throw new UnsupportedFormatException(
      s"${part.path} is not an XML part as Spark writes one: $why; merge only what Spark's xml writer wrote"
    )

  private def show(bytes: Array[Byte]): String = new String(bytes, ISO_8859_1).replace("\n", "\\n")
}
