package sparkmerge.copy

import java.nio.ByteBuffer
import java.nio.channels.FileChannel

import sparkmerge.MergeProgress

/**
 * Copies a run of one local file into another inside the kernel (`FileChannel.transferTo`, `sendfile(2)` on
 * Linux), as `cat` does with `copy_file_range(2)`: the bytes go from page cache to page cache once, where a copy
 * through a buffer of this JVM moves them twice. For runs without a checksum file; those with one go through
 * [[CheckedRun]], which must see their bytes.
 *
 * @param out the merged file, open for reading as well as writing
 */
private[sparkmerge] final class KernelCopy(out: FileChannel) {

  /**
   * Copies `in` from its position for `limit` bytes or to its end, whichever comes first, to the end of `out`;
   * returns the bytes copied and the last of them (-1 if none).
   */
  def copy(in: FileChannel, limit: Long, progress: MergeProgress): (Long, Int) = {
    var total = 0L
    var ended = false
    // Each round copies at least one byte or ends the loop, so it stops by itself at `limit` or at the end.
    while (!ended && total < limit) {
      val n = in.transferTo(in.position(), math.min(KernelCopy.ChunkBytes, limit - total), out)
      if (n <= 0) ended = true
      else {
        in.position(in.position() + n)
        total += n
        progress.advance(n)
      }
    }
    (total, if (total > 0) lastByte() else -1)
  }

  private def lastByte(): Int = {
    val one = ByteBuffer.allocate(1)
    out.read(one, out.position() - 1)
    one.get(0) & 0xff
  }
}

private[sparkmerge] object KernelCopy {

  /** Runs of at least this size go through the kernel; smaller ones are gathered into a buffer, fewer writes. */
  val MinBytes: Long = 1L << 20

  // Large enough that the calls cost nothing, small enough that progress moves.
  private val ChunkBytes = 2L << 20
}
