package sparkmerge.copy

import java.nio.ByteBuffer
import java.nio.channels.FileChannel

import sparkmerge.MergeProgress

/**
 * Copies a long run of a part that has a checksum file through one small buffer: each slice is read, checked
 * and written by this thread, and stays in the core's cache from the read to the write. Only checked bytes reach
 * the merged file.
 *
 * Measured on this project's VM (docs/benchmarks.md): as fast as copying inside the kernel and reading the bytes
 * back on a second thread to check them (a median of 0.67 s a GiB each, in one JVM, taking turns), on one core
 * where that took two: the second core stays with the JIT compiler and Spark. Slices of 64 KiB, or of 512 KiB and
 * more, were slower, and so was the check on the other core: the bytes then came from memory twice.
 *
 * @param out the merged file
 */
private[sparkmerge] final class CheckedRun(out: FileChannel) {
  private lazy val slice = ByteBuffer.allocateDirect(CheckedRun.SliceBytes)

  /**
   * Copies `in` from its position for `limit` bytes or to its end, whichever comes first, to the end of `out`,
   * every byte through `check` before it is written; returns the bytes copied and the last of them (-1 if none).
   */
  def copy(in: FileChannel, limit: Long, progress: MergeProgress, check: ChecksumCheck): (Long, Int) = {
    var total = 0L
    var last = -1
    var ended = false
    // Each round copies at least one byte or ends the loop, so it stops by itself at `limit` or at the end.
    while (!ended && total < limit) {
      slice.clear()
      slice.limit(math.min(slice.capacity.toLong, limit - total).toInt)
      val n = in.read(slice)
      if (n <= 0) ended = true
      else {
        check.update(slice, 0, n)
        last = slice.get(n - 1) & 0xff
        slice.flip()
        while (slice.hasRemaining) out.write(slice)
        total += n
        progress.advance(n)
      }
    }
    (total, last)
  }
}

private[sparkmerge] object CheckedRun {

  // 128 KiB: the fastest of 64 KiB to 1 MiB on this project's VM, where a core has 2 MiB of cache of its own.
  private val SliceBytes = 128 << 10
}
