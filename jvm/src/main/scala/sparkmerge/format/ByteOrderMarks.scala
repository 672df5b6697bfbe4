package sparkmerge.format

import java.nio.charset.Charset

import scala.util.Try

import sparkmerge.{InvalidOptionException, UnsupportedFormatException}
import sparkmerge.parts.Part

/**
 * Byte-order marks, which a writer puts at the start of each file it writes in some encodings (Java's `UTF-16`
 * does, so Spark's CSV and JSON writers do, once per part): joined end to end, every part's mark after the
 * first would sit inside the file, glued onto the first field of a row. Such encodings are refused, with the
 * ones that write no mark named; the marked parts of another writer are too.
 */
private[sparkmerge] object ByteOrderMarks {

  // Longest first: UTF-32LE's mark starts with UTF-16LE's.
  private val Marks: Seq[(Seq[Int], String)] = Seq(
    Seq(0x00, 0x00, 0xfe, 0xff) -> "UTF-32BE",
    Seq(0xff, 0xfe, 0x00, 0x00) -> "UTF-32LE",
    Seq(0xef, 0xbb, 0xbf) -> "UTF-8",
    Seq(0xfe, 0xff) -> "UTF-16BE",
    Seq(0xff, 0xfe) -> "UTF-16LE"
  )

  /** The encoding whose mark `head` (the first bytes of a file) starts with, if any. */
  def of(head: Array[Byte]): Option[String] =
    Marks.collectFirst {
      case (mark, name) if head.length >= mark.length && mark.indices.forall(i => (head(i) & 0xff) == mark(i)) => name
    }

  /** Whether Java's encoder of `charset` starts what it writes with a mark: then "aa" is not twice "a". */
  def writtenBy(charset: Charset): Boolean =
    Try("aa".getBytes(charset).length != 2 * "a".getBytes(charset).length).getOrElse(false)

  /** Refuses an `encoding`/`charset` option whose files would each start with a mark. */
  def checkOption(options: Map[String, String], target: String): Unit =
    options.collect { case (k, v) if k.equalsIgnoreCase("encoding") || k.equalsIgnoreCase("charset") => v }.foreach {
      name =>
        if (Try(Charset.forName(name.trim)).toOption.exists(writtenBy))
          throw new InvalidOptionException(
            s"encoding '$name' for $target starts every part Spark writes with a byte-order mark, which would sit " +
              "inside the one file: write UTF-16LE or UTF-16BE (no mark), or UTF-8"
          )
    }

  /** Refuses parts whose first starts with a mark, when more than one has data. */
  def refuse(first: Part, head: Array[Byte], withData: Int): Unit =
    of(head).filter(_ => withData > 1).foreach { encoding =>
      throw new UnsupportedFormatException(
        s"${first.path} starts with a $encoding byte-order mark, and so, written the same way, does each part: " +
          "joined, the marks would sit inside the file; write the parts in an encoding that writes none " +
          "(UTF-8, UTF-16LE, UTF-16BE)"
      )
    }
}
