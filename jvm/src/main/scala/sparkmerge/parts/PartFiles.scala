package sparkmerge.parts

import java.io.{IOException, UncheckedIOException}
import java.util.concurrent.ExecutionException

import org.apache.hadoop.fs.{FSDataInputStream, FileSystem, Path}

/**
 * Opens a part as fits the store. On an object store every open is a request, and how much it fetches is set
 * by the read policy: a whole part is read sequentially, in large ranges; a header or a last byte is a small
 * random read of just those bytes. The length the listing gave spares the store's HEAD request. Other file
 * systems open as they always did.
 */
private[sparkmerge] object PartFiles {

  sealed abstract class Policy(val name: String)

  /** The whole file, from its start (or a header's end) to its end. */
  case object Sequential extends Policy("sequential")

  /** A few bytes at a known place: a header record, a magic number, a last byte. */
  case object Random extends Policy("random")

  def open(fs: FileSystem, path: Path, length: Long, policy: Policy, bufferBytes: Int = 64 << 10): FSDataInputStream =
    if (!ObjectStores.is(fs)) fs.open(path, bufferBytes)
    else
      try
        fs.openFile(path)
          .opt("fs.option.openfile.read.policy", policy.name)
          .opt("fs.option.openfile.length", length.toString)
          .opt("fs.s3a.experimental.input.fadvise", policy.name) // the same, as Hadoop 3.3.4 names it
          .opt("fs.option.openfile.buffer.size", bufferBytes.toString)
          .build()
          .get()
      catch {
        case e: ExecutionException =>
          e.getCause match {
            case io: IOException          => throw io
            case io: UncheckedIOException => throw io.getCause
            case other                    => throw new IOException(s"cannot open $path: $other", other)
          }
      }
}
