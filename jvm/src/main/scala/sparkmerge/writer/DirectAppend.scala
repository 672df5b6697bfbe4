package sparkmerge.writer

import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.{OpenOption, Path => NioPath}
import java.nio.file.StandardOpenOption.{CREATE_NEW, WRITE}

import scala.util.Try

import sparkmerge.copy.ChecksumCheck

/**
 * Appends to a new local file around the page cache (O_DIRECT), where the JVM and the file system allow it,
 * and through it where they do not.
 *
 * [[CopyAhead]] writes through this while Spark's tasks run, and should take as little CPU and memory from them
 * as it can: filling newly allocated page cache costs the kernel far more system time than writing around it
 * (README, Benchmark). Direct writes need aligned buffers, offsets and lengths, so data goes out in whole
 * buffers and only what is left at the end goes through the page cache.
 */
private[sparkmerge] final class DirectAppend(file: NioPath, bufferBytes: Int) {
  private val cached = FileChannel.open(file, CREATE_NEW, WRITE)
  private val aligned = DirectAppend.aligned(bufferBytes)
  // Direct writes only from an aligned buffer: from any other the kernel refuses them.
  private val direct: Option[FileChannel] = for {
    _ <- aligned
    option <- DirectAppend.DirectOption
    opened <- Try(FileChannel.open(file, WRITE, option)).toOption
  } yield opened
  private val buffer: ByteBuffer = aligned.getOrElse(ByteBuffer.allocateDirect(bufferBytes))
  private var written = 0L

  /** Copies `in` from its position to its end, each byte through `check` if there is one; returns the bytes copied. */
  def append(in: FileChannel, check: Option[ChecksumCheck] = None): Long = {
    var total = 0L
    var n = in.read(buffer)
    while (n >= 0) {
      if (n > 0) check.foreach(_.update(buffer, buffer.position() - n, buffer.position()))
      total += n
      if (!buffer.hasRemaining) flush(direct.getOrElse(cached))
      n = in.read(buffer)
    }
    total
  }

  /** Writes what is left and cuts the file to `length`, the bytes of the pieces appended whole; then closes it. */
  def close(length: Long): Unit =
    try {
      flush(cached)
      cached.truncate(length)
    } finally {
      direct.foreach(_.close())
      cached.close()
    }

  private def flush(channel: FileChannel): Unit = {
    buffer.flip()
    while (buffer.hasRemaining) written += channel.write(buffer, written)
    buffer.clear()
  }
}

private[sparkmerge] object DirectAppend {
  private val Alignment = 4096

  // By reflection: the 2.12 build compiles against Java 8, which has neither (both came with Java 9 and 10).
  private val DirectOption: Option[OpenOption] = Try(
    Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null).asInstanceOf[OpenOption]
  ).toOption

  private def aligned(bytes: Int): Option[ByteBuffer] = {
    val size = bytes / Alignment * Alignment
    Try {
      val raw = ByteBuffer.allocateDirect(size + Alignment)
      val slice = classOf[ByteBuffer].getMethod("alignedSlice", classOf[Int]).invoke(raw, Int.box(Alignment))
      slice.asInstanceOf[ByteBuffer].limit(size).asInstanceOf[ByteBuffer].slice()
    }.toOption.filter(_ => size > 0)
  }
}
