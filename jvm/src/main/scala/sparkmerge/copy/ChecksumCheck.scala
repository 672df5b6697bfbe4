package sparkmerge.copy

import java.io.{BufferedInputStream, DataInputStream, EOFException}
import java.nio.ByteBuffer
import java.util.zip.CRC32

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.MergeFailedException
import sparkmerge.plan.Piece

/**
 * Checks a part's bytes, in order from its first, against the checksum file Hadoop's checksummed file system
 * wrote beside it, as Hadoop's own reader would: the copy reads through the raw file system, which does not.
 * The file (`.x.crc`) holds the magic `crc\0`, the bytes per checksum, then the CRC32 of each run of that many
 * bytes of the part.
 */
private[sparkmerge] final class ChecksumCheck private (part: Path, file: Path, sums: DataInputStream, bytesPerSum: Int)
    extends AutoCloseable {
  private val crc = new CRC32
  // The sums to expect, a block at a time: readInt per sum, four calls of a synchronized stream, took longer than
  // computing the sums.
  private val expected = ByteBuffer.allocate(ChecksumCheck.SumBlockBytes)
  expected.flip()
  private var inChunk = 0
  private var checked = 0L

  /** The bytes of `buffer` from `from` to `to`, its position and limit untouched. */
  def update(buffer: ByteBuffer, from: Int, to: Int): Unit = {
    val view = buffer.duplicate()
    var at = from
    while (at < to) {
      val take = math.min(to - at, bytesPerSum - inChunk)
      view.limit(at + take)
      view.position(at)
      crc.update(view)
      at += take
      chunk(take)
    }
  }

  def update(bytes: Array[Byte], offset: Int, length: Int): Unit = {
    var at = offset
    while (at < offset + length) {
      val take = math.min(offset + length - at, bytesPerSum - inChunk)
      crc.update(bytes, at, take)
      at += take
      chunk(take)
    }
  }

  /** After the part's last byte: its last run checked, and no checksum left over. */
  def finish(): Unit = {
    if (inChunk > 0) verify()
    if (expected.hasRemaining || sums.read() >= 0) fail(s"the checksum file covers more than its ${checked} bytes")
  }

  override def close(): Unit = sums.close()

  private def chunk(added: Int): Unit = {
    inChunk += added
    if (inChunk == bytesPerSum) verify()
  }

  private def verify(): Unit = {
    if (expected.remaining < 4) refill()
    if (expected.remaining < 4) fail(s"the checksum file ends before byte ${checked + inChunk}")
    if (crc.getValue.toInt != expected.getInt)
      fail(s"bytes $checked to ${checked + inChunk} do not match their checksum")
    checked += inChunk
    inChunk = 0
    crc.reset()
  }

  private def refill(): Unit = {
    expected.compact()
    var n = 0
    while (n >= 0 && expected.hasRemaining) {
      n = sums.read(expected.array, expected.position(), expected.remaining)
      if (n > 0) expected.position(expected.position() + n)
    }
    expected.flip()
  }

  private def fail(what: String): Nothing = throw failure(what)

  private def failure(what: String): MergeFailedException =
    new MergeFailedException(
      s"$part does not match its checksum file $file: $what; the part is damaged, or changed without it: " +
        s"write it again, or delete $file to merge it as it is"
    )
}

private[sparkmerge] object ChecksumCheck {
  private val log = LoggerFactory.getLogger(getClass)

  private val Magic = Array[Byte]('c', 'r', 'c', 0)

  private val SumBlockBytes = 64 << 10

  /**
   * A check of `piece` against its checksum file, if it has one; read through `fs`. A file of that name that is
   * no checksum file (no `crc\0` magic, too short) is not one: the part is merged unchecked, with a warning, as
   * Hadoop's own reader does.
   */
  def of(fs: FileSystem, piece: Piece): Option[ChecksumCheck] = piece.checksum.flatMap { file =>
    val sums = new DataInputStream(new BufferedInputStream(fs.open(file), 64 << 10))
    def notOne(why: String) = {
      sums.close()
      log.warn(s"sparkmerge: $file is not a checksum file ($why): merged ${piece.path} without checking it")
      None
    }
    try {
      val magic = new Array[Byte](4)
      sums.readFully(magic)
      val bytesPerSum = sums.readInt()
      if (!java.util.Arrays.equals(magic, Magic)) notOne("it does not start with crc\\0")
      else if (bytesPerSum <= 0) notOne(s"it says $bytesPerSum bytes per checksum")
      else Some(new ChecksumCheck(piece.path, file, sums, bytesPerSum))
    } catch {
      case _: EOFException => notOne("it is too short")
      case e: Throwable    => sums.close(); throw e
    }
  }
}
