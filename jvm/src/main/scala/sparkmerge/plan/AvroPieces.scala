package sparkmerge.plan

import java.io.{BufferedInputStream, InputStream}
import java.nio.charset.StandardCharsets.UTF_8

import org.apache.hadoop.fs.FileSystem

import sparkmerge.{HeaderMismatchException, UnsupportedFormatException}
import sparkmerge.parts.{Part, PartFiles}

/**
 * Avro parts, each a container file: its header (the magic, the schema and codec, a random sync marker), then
 * blocks of rows, each followed by the sync marker. Joined, the first part stays whole and every later part
 * gives its blocks, as they are, each with the first part's sync marker after it ([[Piece.Resynced]]): the rows
 * are never decoded, and their compression (deflate, snappy, zstandard, ...) is left as it is. The parts must
 * agree on the schema and the codec.
 */
private[sparkmerge] object AvroPieces {

  private val Magic = Array[Byte]('O', 'b', 'j', 1)
  private val SyncBytes = 16

  /** A part's header: its length, its metadata, its sync marker. */
  private final case class Header(part: Part, length: Long, meta: Map[String, Seq[Byte]], sync: Seq[Byte]) {
    def text(key: String): String = meta.get(key).fold("(none)")(b => new String(b.toArray, UTF_8))
  }

  def of(fs: FileSystem, parts: Vector[Part], request: MergeRequest): Vector[Piece] = {
    request.onlyText("Avro")
    val headers = parts.filter(_.length > 0).map(header(fs, _))
    headers.headOption.fold(Vector.empty[Piece]) { first =>
      headers.tail.foreach { other =>
        Seq("avro.schema", "avro.codec").find(key => other.meta.get(key) != first.meta.get(key)).foreach { key =>
          throw new HeaderMismatchException(
            s"${other.part.path} has the $key ${other.text(key)}, not ${first.text(key)} as ${first.part.path}: " +
              "the parts were not written as one table; write them again with one schema and compression"
          )
        }
      }
      Piece.Whole(first.part.path, first.part.length, first.part.checksum) +: headers.tail
        .filter(h => h.length < h.part.length) // a part of no rows is its header alone
        .map(h => Piece.Resynced(h.part.path, h.part.length, h.length, h.sync, first.sync, h.part.checksum))
    }
  }

  private def header(fs: FileSystem, part: Part): Header = {
    val raw = PartFiles.open(fs, part.path, part.length, PartFiles.Random(64 << 10))
    try {
      val in = new Counting(new BufferedInputStream(raw, 64 << 10))
      val magic = bytes(part, in, Magic.length)
      if (!java.util.Arrays.equals(magic, Magic)) damaged(part, "it does not start with Avro's magic bytes")
      val meta = Map.newBuilder[String, Seq[Byte]]
      var count = long(part, in)
      while (count != 0) {
        if (count < 0) { count = -count; long(part, in) } // a block's byte size, not needed
        (0L until count).foreach { _ =>
          val key = new String(bytes(part, in, size(part, in)), UTF_8)
          meta += key -> bytes(part, in, size(part, in)).toSeq
        }
        count = long(part, in)
      }
      val sync = bytes(part, in, SyncBytes).toSeq
      Header(part, in.count, meta.result(), sync)
    } finally raw.close()
  }

  private def size(part: Part, in: Counting): Int = {
    val n = long(part, in)
    if (n < 0 || n > (64L << 20)) damaged(part, s"its header holds a field of $n bytes")
    n.toInt
  }

  private def long(part: Part, in: InputStream): Long = {
    var value = 0L
    var shift = 0
    var b = 0
    while ({
      b = in.read()
      if (b < 0) damaged(part, "its header is cut short")
      if (shift > 63) damaged(part, "its header holds a number longer than a long")
      value |= (b & 0x7fL) << shift
      shift += 7
      (b & 0x80) != 0
    }) ()
    (value >>> 1) ^ -(value & 1)
  }

  private def bytes(part: Part, in: InputStream, n: Int): Array[Byte] = {
    val read = new Array[Byte](n)
    var got = 0
    while (got < n) {
      val m = in.read(read, got, n - got)
      if (m < 0) damaged(part, "its header is cut short")
      got += m
    }
    read
  }

  private def damaged(part: Part, why: String): Nothing =
    throw new UnsupportedFormatException(s"${part.path} is not an Avro file as Spark writes one: $why")

  private final class Counting(in: InputStream) extends InputStream {
    var count = 0L
    override def read(): Int = {
      val b = in.read()
      if (b >= 0) count += 1
      b
    }
    override def read(b: Array[Byte], off: Int, len: Int): Int = {
      val n = in.read(b, off, len)
      if (n > 0) count += n
      n
    }
  }
}
