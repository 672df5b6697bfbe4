package sparkmerge.parts

import java.io.{IOException, UncheckedIOException}
import java.util.concurrent.ExecutionException

import org.apache.hadoop.fs.{FSDataInputStream, FileSystem, Path}

/**
 * Opens a part as fits the store. On an object store every open is a request, and how much it fetches is set
 * by the read policy: a whole part is read sequentially, in large ranges; a header or a last byte is a small
 * random read of just those bytes. The length the listing gave spares the store's HEAD request (Hadoop 3.4;
 * 3.3's S3A takes only its own status for that). On Azure a random read is positioned reads of just their
 * bytes ([[RangedReads]]). Other file systems open as they always did.
 */
private[sparkmerge] object PartFiles {

  sealed abstract class Policy(val name: String)

  /** The whole file, from its start (or a header's end) to its end. */
  case object Sequential extends Policy("sequential")

  /**
   * A few bytes at a known place: a header record, a magic number, a last byte, read `bytes` at a time. S3A
   * asks the store for at least its read-ahead on every random read (64 KiB unless set), whatever was asked
   * of it: so the read-ahead is `bytes`, and a planning read of each of many parts fetches what it reads.
   */
  final case class Random(bytes: Int) extends Policy("random")

  def open(fs: FileSystem, path: Path, length: Long, policy: Policy, bufferBytes: Int = 64 << 10): FSDataInputStream =
    build(fs, path, length, policy, bufferBytes, None)

  /** `bytes` bytes of the part from `at`: one ranged request on an object store. */
  def readAt(fs: FileSystem, path: Path, length: Long, at: Long, bytes: Int): Array[Byte] = {
    val read = new Array[Byte](bytes)
    val in = build(fs, path, length, Random(bytes), bytes, Some(at -> (at + bytes)))
    try in.readFully(at, read)
    finally in.close()
    read
  }

  private def build(
      fs: FileSystem,
      path: Path,
      length: Long,
      policy: Policy,
      bufferBytes: Int,
      split: Option[(Long, Long)]
  ): FSDataInputStream =
    if (policy != Sequential && ObjectStores.isAzure(fs)) ranged(fs, path, length)
    else if (!ObjectStores.is(fs)) fs.open(path, bufferBytes)
    else
      opened(path) {
        val reads = policy match {
          case Random(bytes) => GcsRandomReads.of(fs, bytes)
          case Sequential    => fs
        }
        val builder = reads
          .openFile(path)
          .opt("fs.option.openfile.read.policy", policy.name)
          .opt("fs.option.openfile.length", length.toString)
          .opt("fs.s3a.experimental.input.fadvise", policy.name) // the same, as Hadoop 3.3 names it
          .opt("fs.option.openfile.buffer.size", bufferBytes.toString)
        policy match {
          case Random(bytes) => builder.opt("fs.s3a.readahead.range", bytes.toString) // 3.3 and 3.4 read it here
          case Sequential    => builder
        }
        split.foreach { case (start, end) =>
          builder
            .opt("fs.option.openfile.split.start", start.toString)
            .opt("fs.option.openfile.split.end", end.toString)
        }
        builder.build().get()
      }

  private def ranged(fs: FileSystem, path: Path, length: Long): FSDataInputStream = {
    val in = opened(path)(fs.openFile(path).opt(RangedReads.UnbufferedPositionedReads, "true").build().get())
    new FSDataInputStream(new RangedReads(in, length))
  }

  private def opened(path: Path)(open: => FSDataInputStream): FSDataInputStream =
    try open
    catch {
      case e: ExecutionException =>
        e.getCause match {
          case io: IOException          => throw io
          case io: UncheckedIOException => throw io.getCause
          case other                    => throw new IOException(s"cannot open $path: $other", other)
        }
    }
}
