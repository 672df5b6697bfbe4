package sparkmerge.format

import java.io.{IOException, InputStream}
import java.nio.charset.StandardCharsets.UTF_8

import org.apache.hadoop.fs.FileSystem

import sparkmerge.{FirstLine, HeaderMismatchException, MergeFailedException, SparkMergeException}
import sparkmerge.parts.{Part, PartFiles}

/**
 * The header record of a part, with its line separator, read through the part's codec and found by the CSV
 * dialect the parts were written in: a record, not a line, since a quoted column name may hold a line break.
 * Its fields are counted, and so are those of the record after it, which Spark writes with as many: where they
 * differ, the header was not found where the dialect says, and the merge must not guess.
 */
private[sparkmerge] object HeaderRecord {

  // A header longer than this is not a header: the part probably is not CSV, or has no line breaks.
  private val MaxBytes = 1 << 20
  // Most headers and the record after them fit in the first read; a longer one doubles it. On an object store
  // each read is a request of its size, made for every part.
  private val FirstRead = 2 << 10

  /** The header's bytes and fields, and the fields of the next record where it is within reach. */
  final case class Found(bytes: Array[Byte], fields: Int, nextFields: Option[Int])

  def read(fs: FileSystem, part: Part, codec: Codec, dialect: CsvDialect): Found =
    if (part.length == 0) Found(Array.emptyByteArray, 0, None)
    else
      try {
        // Closing the decoder closes the file, and frees what a decoder holds outside the heap (an Inflater).
        val in = codec.decode(PartFiles.open(fs, part.path, part.length, PartFiles.Random(FirstRead)))
        try find(new Prefix(in), part, dialect)
        finally in.close()
      } catch {
        case e: IOException if !e.isInstanceOf[SparkMergeException] =>
          throw new MergeFailedException(
            s"${part.path} cannot be read as a ${codec.describe} part (${FirstLine.of(e)}): it is damaged, or not " +
              "what its name says",
            Some(e)
          )
      }

  /** For messages: the record as text on one line, cut short, its line breaks shown (`\r\n` is not `\n`). */
  def show(record: Array[Byte]): String = {
    val text = new String(record, UTF_8).replace("\r", "\\r").replace("\n", "\\n")
    if (text.length > 80) text.take(77) + "..." else text
  }

  private def find(prefix: Prefix, part: Part, dialect: CsvDialect): Found = {
    val (end, fields) = prefix.record(0, dialect).getOrElse {
      throw new HeaderMismatchException(
        s"${part.path} has no end of a record in its first $MaxBytes bytes (${dialect.describe}): it has no header " +
          "record to keep once; merge without header, or pass the CSV options the parts were written with"
      )
    }
    Found(prefix.bytes(end), fields, if (end < prefix.size) prefix.record(end, dialect).map(_._2) else None)
  }

  /** The first bytes of a stream, read as far as a scan needs them and never past MaxBytes. */
  private final class Prefix(in: InputStream) {
    private var data = new Array[Byte](FirstRead)
    private var filled = 0
    private var ended = false
    fill(FirstRead)

    def size: Int = filled
    def bytes(end: Int): Array[Byte] = java.util.Arrays.copyOf(data, end)

    /** The end and the field count of the record at `from`, reading more where it needs; None past MaxBytes. */
    def record(from: Int, dialect: CsvDialect): Option[(Int, Int)] = {
      var found = RecordScan(data, filled, from, dialect, ended)
      while (found.isEmpty && !ended && filled < MaxBytes) {
        fill(math.min(MaxBytes, filled * 2))
        found = RecordScan(data, filled, from, dialect, ended)
      }
      found
    }

    private def fill(upTo: Int): Unit = {
      if (data.length < upTo) data = java.util.Arrays.copyOf(data, upTo)
      while (filled < upTo && !ended) {
        val n = in.read(data, filled, upTo - filled)
        if (n < 0) ended = true else filled += n
      }
    }
  }
}
