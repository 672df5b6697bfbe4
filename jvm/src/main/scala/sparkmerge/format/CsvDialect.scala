package sparkmerge.format

import java.nio.charset.{Charset, StandardCharsets}
import java.util.Locale

import scala.util.Try

import sparkmerge.InvalidOptionException

/**
 * Where a CSV record ends, as Spark writes one: fields between separators; a field that starts with the quote
 * runs to the next quote that is not escaped (by `escape`, or by doubling where the escape is the quote itself)
 * and may hold separators and line breaks; a record ends at the line separator outside quotes (a `\n`, with or
 * without a `\r` before it, unless `lineSep` says otherwise). The options keep Spark's names and defaults.
 */
private[sparkmerge] final case class CsvDialect(
    sep: Array[Byte],
    quote: Option[Byte],
    escape: Option[Byte],
    lineSep: Option[Array[Byte]]
) {

  /** For messages: "sep ',', quote '\"', escape '\\'". */
  def describe: String = {
    def show(bytes: Array[Byte]) = new String(bytes, StandardCharsets.ISO_8859_1).replace("\t", "\\t")
    val quoting = quote.fold("no quote")(q => s"quote '${q.toChar}'")
    s"sep '${show(sep)}', $quoting, escape '${escape.fold("")(_.toChar.toString)}'" +
      lineSep.fold("")(l => s", lineSep '${show(l).replace("\r", "\\r").replace("\n", "\\n")}'")
  }
}

private[sparkmerge] object CsvDialect {

  val Default: CsvDialect = CsvDialect(Array(','.toByte), Some('"'.toByte), Some('\\'.toByte), None)

  /** The options read here, by Spark's names (with its aliases), and no others. */
  val OptionNames: Seq[String] = Seq("sep", "delimiter", "quote", "escape", "lineSep", "encoding", "charset")

  /**
   * Spark's CSV options that say how the parts were written; any other name is refused, not ignored. The
   * encoding matters where header records are looked for (`headers`); otherwise it need only be one.
   */
  def parse(options: Map[String, String], where: String, headers: Boolean): CsvDialect = {
    options.keys.filterNot(k => OptionNames.exists(_.equalsIgnoreCase(k))).toSeq.sorted.headOption.foreach { key =>
      throw new InvalidOptionException(
        s"unknown CSV option '$key' for $where: a merge reads ${OptionNames.mkString(", ")}, as Spark names them"
      )
    }
    def get(names: String*) = options.collectFirst { case (k, v) if names.exists(_.equalsIgnoreCase(k)) => v }
    get("encoding", "charset").foreach(checkEncoding(_, where, headers))
    CsvDialect(
      get("sep", "delimiter").map(bytes("sep", _, where, allowEmpty = false)).getOrElse(Default.sep),
      get("quote").fold(Default.quote)(q => if (q.isEmpty || q == "\u0000") None else Some(single("quote", q, where))),
      get("escape").fold(Default.escape)(e => if (e.isEmpty) None else Some(single("escape", e, where))),
      get("lineSep").map(bytes("lineSep", _, where, allowEmpty = false))
    )
  }

  private def single(name: String, value: String, where: String): Byte = {
    val encoded = bytes(name, value, where, allowEmpty = false)
    if (encoded.length != 1)
      throw new InvalidOptionException(s"$name must be one character, not '$value', for $where")
    encoded.head
  }

  private def bytes(name: String, value: String, where: String, allowEmpty: Boolean): Array[Byte] = {
    if (!allowEmpty && value.isEmpty) throw new InvalidOptionException(s"$name must not be empty, for $where")
    if (!value.forall(_ < 128))
      throw new InvalidOptionException(
        s"$name '$value' for $where: a merge finds header records by ASCII separators, quotes and escapes only"
      )
    value.getBytes(StandardCharsets.US_ASCII)
  }

  // ASCII characters must be the same bytes in it, as in UTF-8 and the ISO-8859 and Windows code pages.
  private def checkEncoding(name: String, where: String, headers: Boolean): Unit = {
    if (Try(Charset.forName(name)).isFailure)
      throw new InvalidOptionException(s"encoding '$name' for $where: Java knows no such encoding")
    if (headers && !ByteOrderMarks.asciiCompatible(name))
      throw new InvalidOptionException(
        s"encoding '$name' for $where: a merge finds header records in UTF-8 and other encodings where ASCII is " +
          s"one byte a character only (${name.toUpperCase(Locale.ROOT)} is not); merge without header"
      )
  }
}
