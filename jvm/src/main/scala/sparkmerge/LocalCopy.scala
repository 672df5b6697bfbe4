package sparkmerge

import java.nio.ByteBuffer
import java.nio.channels.{Channels, FileChannel}
import java.nio.file.StandardOpenOption.{APPEND, CREATE_NEW, WRITE}

import org.apache.hadoop.fs.{Path, RawLocalFileSystem}

/**
 * The copy strategy on local disk: file channels and one direct buffer. Through Hadoop's streams the copy
 * takes twice the time of `cat`, since the JDK copies every read and write of a heap array through a native
 * buffer of its own; a direct buffer goes to the kernel as it is.
 */
object LocalCopy {

  /**
   * Writes the plan's pieces into `temporary`; returns the bytes written. With `ahead`, the file already holds
   * the plan's first pieces (see [[CopyAhead]]) and only the rest is appended.
   */
  def run(
      fs: RawLocalFileSystem,
      plan: MergePlan,
      temporary: Path,
      bufferBytes: Int,
      progress: MergeProgress,
      ahead: Option[CopiedAhead] = None
  ): Long = {
    val buffer = ByteBuffer.allocateDirect(bufferBytes)
    val file = fs.pathToFile(temporary).toPath
    val out = if (ahead.isDefined) FileChannel.open(file, WRITE, APPEND) else FileChannel.open(file, CREATE_NEW, WRITE)
    val done = ahead.fold(0)(_.pieces.size)
    ahead.foreach(copied => progress.alreadyDone(copied.bytes, copied.pieces.size))
    try {
      val written = plan.pieces.drop(done).foldLeft(ahead.fold(0L)(_.bytes)) { (written, piece) =>
        val added = copy(fs, piece, out, buffer, progress)
        progress.fileDone()
        written + added
      }
      flush(out, buffer)
      written
    } finally out.close()
  }

  private def copy(fs: RawLocalFileSystem, piece: Piece, out: FileChannel, buffer: ByteBuffer, p: MergeProgress) =
    if (piece.length == 0) 0L
    else {
      val in = FileChannel.open(fs.pathToFile(piece.path).toPath)
      try
        piece match {
          case _: Piece.Whole   => drain(in, out, buffer, p)
          case tail: Piece.Tail =>
            in.position(tail.offset)
            p.advance(tail.offset)
            drain(in, out, buffer, p)
          case recoded: Piece.Recoded =>
            flush(out, buffer)
            val written = StreamCopy.recode(
              recoded,
              Channels.newInputStream(in),
              Channels.newOutputStream(out),
              new Array[Byte](1 << 20)
            )
            p.advance(recoded.length)
            written
        }
      finally in.close()
    }

  // The buffer is written out only when full (and at the end), not once a piece: 10,000 parts of 100 KB take
  // 250 writes, not 10,000, and the file system updates the file once a write.
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

  // Handed to the page cache 128 KiB at a time, as cat does: the kernel sizes its pages by the write, and on
  // the benchmark's VM, 4 MiB writes taking turns with 128 KiB writes cost 2.5 s of system time per GiB
  // against 0.3 s (README, Benchmark).
  private val WriteSlice = 128 * 1024

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
