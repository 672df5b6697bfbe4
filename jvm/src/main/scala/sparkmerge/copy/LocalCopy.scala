package sparkmerge.copy

import java.nio.ByteBuffer
import java.nio.channels.{Channels, FileChannel}

import org.apache.hadoop.fs.RawLocalFileSystem

import sparkmerge.MergeProgress
import sparkmerge.plan.{MergePlan, Piece}

/**
 * The copy strategy from local disk to local disk: file channels and one direct buffer. Through Hadoop's streams
 * the JDK copies every read and write of a heap array through a native buffer of its own; a direct buffer goes
 * to the kernel as it is.
 */
object LocalCopy {

  // The buffer goes to the page cache in slices of this size, as cat writes: the kernel sizes the pages it
  // allocates by the write, and larger pages are the ones a VM's host takes back first (README, Benchmark).
  private val WriteSlice = 128 * 1024

  /** Writes the plan's pieces to `out` (positioned after a resumed first piece); returns the file's length. */
  def run(
      fs: RawLocalFileSystem,
      plan: MergePlan,
      out: FileChannel,
      bufferBytes: Int,
      progress: MergeProgress
  ): Long = {
    val buffer = ByteBuffer.allocateDirect(bufferBytes)
    val written = plan.pieces.foldLeft(0L) { (written, piece) =>
      val added = copy(fs, piece, out, buffer, progress)
      progress.fileDone(piece.files)
      written + added
    }
    flush(out, buffer)
    written
  }

  private def copy(fs: RawLocalFileSystem, piece: Piece, out: FileChannel, buffer: ByteBuffer, p: MergeProgress) =
    piece match {
      case resumed: Piece.Resumed =>
        p.settle(resumed.length) // already in the file: nothing to read
        resumed.length
      case _ if piece.length == 0 => 0L
      case _                      =>
        val in = FileChannel.open(fs.pathToFile(piece.path).toPath)
        try
          piece match {
            case tail: Piece.Tail =>
              in.position(tail.offset)
              p.advance(tail.offset)
              drain(in, out, buffer, p)
            case recoded: Piece.Recoded =>
              flush(out, buffer)
              val written = Recoder.recode(
                recoded,
                Channels.newInputStream(in),
                Channels.newOutputStream(out),
                new Array[Byte](1 << 20)
              )
              p.advance(recoded.length)
              written
            case _ => drain(in, out, buffer, p)
          }
        finally in.close()
    }

  // The buffer is written out only when full (and at the end), not once a piece: many small parts take few
  // writes, and the file system updates the file once a write.
  private def drain(in: FileChannel, out: FileChannel, buffer: ByteBuffer, progress: MergeProgress): Long = {
    var total = 0L
    var n = in.read(buffer)
    while (n >= 0) {
      total += n
      progress.advance(n)
      if (!buffer.hasRemaining) flush(out, buffer)
      n = in.read(buffer)
    }
    total
  }

  private def flush(out: FileChannel, buffer: ByteBuffer): Unit = {
    buffer.flip()
    val end = buffer.limit()
    while (buffer.position() < end) {
      buffer.limit(math.min(end, buffer.position() + WriteSlice))
      out.write(buffer)
    }
    buffer.clear()
  }
}
