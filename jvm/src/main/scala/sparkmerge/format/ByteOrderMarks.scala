package sparkmerge.format

import java.nio.charset.{Charset, StandardCharsets}

import scala.util.Try

import org.apache.hadoop.fs.FileSystem

import sparkmerge.InvalidOptionException
import sparkmerge.parts.{Part, PartFiles}

/**
 * Byte-order marks, which a writer puts at the start of each file it writes in some encodings (Java's `UTF-16`
 * does, so Spark's CSV and JSON writers do, once per part): joined end to end, every part's mark after the
 * first would sit inside the file, glued onto the first field of a row, so a merge keeps the first part's only
 * ([[sparkmerge.plan.MarkPieces]]). The DataFrame writer, whose header Spark renders in a file of its own, refuses
 * such encodings, with the ones that write no mark named.
 */
private[sparkmerge] object ByteOrderMarks {

  /** UTF-8's mark, which Excel needs to read a CSV file as UTF-8 (it takes the system's code page otherwise). */
  val Utf8: Array[Byte] = Array(0xef, 0xbb, 0xbf).map(_.toByte)

  /** A mark at the start of a file, and the encoding it says. */
  final case class Mark(encoding: String, length: Int)

  // Longest first: UTF-32LE's mark starts with UTF-16LE's.
  private val Marks: Seq[(Seq[Int], String)] = Seq(
    Seq(0x00, 0x00, 0xfe, 0xff) -> "UTF-32BE",
    Seq(0xff, 0xfe, 0x00, 0x00) -> "UTF-32LE",
    Seq(0xef, 0xbb, 0xbf) -> "UTF-8",
    Seq(0xfe, 0xff) -> "UTF-16BE",
    Seq(0xff, 0xfe) -> "UTF-16LE"
  )

  /** The mark `head` (the first bytes of a file) starts with, if any. */
  def of(head: Array[Byte]): Option[Mark] =
    Marks.collectFirst {
      case (mark, name) if head.length >= mark.length && mark.indices.forall(i => (head(i) & 0xff) == mark(i)) =>
        Mark(name, mark.length)
    }

  /** The mark `part` starts with, as its codec decodes it. */
  def of(fs: FileSystem, part: Part): Option[Mark] = {
    val in = Codec.of(part).decode(PartFiles.open(fs, part.path, part.length, PartFiles.Random(4)))
    try {
      val head = new Array[Byte](4)
      var got = 0
      var n = 0
      while (got < head.length && n >= 0) {
        n = in.read(head, got, head.length - got)
        if (n > 0) got += n
      }
      of(java.util.Arrays.copyOf(head, got))
    } finally in.close()
  }

  /** UTF-8's mark as `codec` writes it: the first stream of a file whose parts' streams follow. */
  def utf8In(codec: Codec): Array[Byte] = {
    val bytes = new java.io.ByteArrayOutputStream()
    val out = codec.encode(bytes)
    out.write(Utf8)
    out.close()
    bytes.toByteArray
  }

  /** Refuses `bom` with an `encoding`/`charset` option that UTF-8's mark would misname (ASCII is UTF-8 too). */
  def checkUtf8(options: Map[String, String], where: String): Unit =
    encodings(options).foreach { name =>
      val fits = Try(Charset.forName(name.trim)).toOption
        .exists(c => c == StandardCharsets.UTF_8 || c == StandardCharsets.US_ASCII)
      if (!fits)
        throw new InvalidOptionException(
          s"bom puts UTF-8's byte-order mark first, and the encoding of $where is '$name': leave bom out, or " +
            "write UTF-8"
        )
    }

  /** Whether ASCII is one byte a character in the encoding `name`, the same bytes as in ASCII. */
  def asciiCompatible(name: String): Boolean = {
    val probe = "<?xml ,;|\"\\\r\n'abcXYZ019/>"
    Try(Charset.forName(name.trim)).toOption.exists { charset =>
      java.util.Arrays.equals(probe.getBytes(charset), probe.getBytes(StandardCharsets.US_ASCII))
    }
  }

  private def encodings(options: Map[String, String]): Iterable[String] =
    options.collect { case (k, v) if k.equalsIgnoreCase("encoding") || k.equalsIgnoreCase("charset") => v }

  /** Whether Java's encoder of `charset` starts what it writes with a mark: then "aa" is not twice "a". */
  def writtenBy(charset: Charset): Boolean =
    Try("aa".getBytes(charset).length != 2 * "a".getBytes(charset).length).getOrElse(false)

  /** Refuses an `encoding`/`charset` option whose files would each start with a mark. */
  def checkOption(options: Map[String, String], target: String): Unit =
    encodings(options).foreach { name =>
      if (Try(Charset.forName(name.trim)).toOption.exists(writtenBy))
        throw new InvalidOptionException(
          s"encoding '$name' for $target starts every part Spark writes with a byte-order mark, which would sit " +
            "inside the one file: write UTF-16LE or UTF-16BE (no mark), or UTF-8"
        )
    }
}
