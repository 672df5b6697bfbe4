package sparkmerge.columnar

import java.io.{ByteArrayInputStream, IOException}
import java.nio.{ByteBuffer, ByteOrder}
import java.nio.charset.StandardCharsets.US_ASCII

import org.apache.hadoop.fs.FileSystem
import org.apache.parquet.format.{FileMetaData, OffsetIndex, Util}

import sparkmerge.UnsupportedFormatException
import sparkmerge.parts.{Part, PartFiles}

/**
 * One Parquet part's footer, as the format lays it out: "PAR1", the column chunks, the page indexes, the
 * footer (a Thrift `FileMetaData`), its length in 4 little-endian bytes, "PAR1". Only the footer and the
 * offset indexes are read, never a page; what they hold is what the joined footer needs.
 *
 * @param offsetIndexes each column chunk's offset index, row group by row group, where the part has one
 */
private[sparkmerge] final case class ParquetFooter(
    part: Part,
    meta: FileMetaData,
    offsetIndexes: Vector[Vector[Option[OffsetIndex]]]
)

private[sparkmerge] object ParquetFooter {
  private val Magic = "PAR1"
  private val EncryptedMagic = "PARE"
  private val TailBytes = 8 // the footer's length and the magic

  def read(fs: FileSystem, part: Part): ParquetFooter = {
    if (part.length < Magic.length + TailBytes) notParquet(part, s"it has ${part.length} bytes")
    val tail = PartFiles.readAt(fs, part.path, part.length, part.length - TailBytes, TailBytes)
    new String(tail, 4, 4, US_ASCII) match {
      case Magic          => ()
      case EncryptedMagic => encrypted(part)
      case other          => notParquet(part, s"it ends with '$other', not '$Magic'")
    }
    val footerLength = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt.toLong & 0xffffffffL
    if (footerLength > part.length - Magic.length - TailBytes)
      notParquet(part, s"its footer would be $footerLength bytes long, more than the file holds")
    val at = part.length - TailBytes - footerLength
    val meta = parse(part, "footer")(Util.readFileMetaData(new ByteArrayInputStream(read(fs, part, at, footerLength))))
    if (meta.isSetEncryption_algorithm) encrypted(part)
    val chunks = JavaLists.seq(meta.getRow_groups).flatMap(g => JavaLists.seq(g.getColumns))
    chunks.find(_.isSetFile_path).foreach { chunk =>
      throw new UnsupportedFormatException(
        s"${part.path} keeps column data in another file (${chunk.getFile_path}): only self-contained Parquet " +
          "files are joined; keep the directory"
      )
    }
    ParquetFooter(part, meta, offsetIndexes(fs, part, meta))
  }

  /** The parts' offset indexes lie together before the footer: read in one request, each parsed from it. */
  private def offsetIndexes(fs: FileSystem, part: Part, meta: FileMetaData): Vector[Vector[Option[OffsetIndex]]] = {
    val ranges = JavaLists.seq(meta.getRow_groups).flatMap(g => JavaLists.seq(g.getColumns)).collect {
      case c if c.isSetOffset_index_offset =>
        (c.getOffset_index_offset, c.getOffset_index_offset + c.getOffset_index_length)
    }
    if (ranges.isEmpty)
      JavaLists.seq(meta.getRow_groups).map(g => Vector.fill(g.getColumnsSize)(Option.empty[OffsetIndex]))
    else {
      val start = ranges.map(_._1).min
      val end = ranges.map(_._2).max
      if (start < Magic.length || end > part.length) notParquet(part, s"its offset indexes lie outside it")
      val region = read(fs, part, start, end - start)
      JavaLists.seq(meta.getRow_groups).map { group =>
        JavaLists.seq(group.getColumns).map { c =>
          if (!c.isSetOffset_index_offset) None
          else {
            val from = (c.getOffset_index_offset - start).toInt
            Some(
              parse(part, "offset index")(
                Util.readOffsetIndex(new ByteArrayInputStream(region, from, c.getOffset_index_length))
              )
            )
          }
        }
      }
    }
  }

  private def read(fs: FileSystem, part: Part, at: Long, bytes: Long): Array[Byte] = {
    if (bytes > Int.MaxValue - 16) notParquet(part, s"a footer or index of $bytes bytes is more than one read takes")
    PartFiles.readAt(fs, part.path, part.length, at, bytes.toInt)
  }

  private def parse[T](part: Part, what: String)(body: => T): T =
    try body
    catch { case e: IOException => notParquet(part, s"its $what cannot be read (${e.getMessage})") }

  private def encrypted(part: Part): Nothing =
    throw new UnsupportedFormatException(
      s"${part.path} is an encrypted Parquet file: its footer cannot be joined without its keys; keep the directory"
    )

  private def notParquet(part: Part, why: String): Nothing =
    throw new UnsupportedFormatException(
      s"${part.path} is not a whole Parquet file ($why): it may be damaged or still being written; merge the " +
        "parts Spark finished writing"
    )
}
