package sparkmerge.plan

import java.util.concurrent.{Callable, ExecutionException, Executors, TimeUnit}

import org.apache.hadoop.fs.FileSystem

import sparkmerge.parts.{Part, PartFiles}

/**
 * The parts whose last byte is not the line break, found before a concat or a copy by the store, which join
 * whole ranges of the parts and could add nothing. One read of one byte a part, a few at a time: on HDFS each is a round trip to a DataNode.
 */
private[sparkmerge] object UnendedParts {

  private val Threads = 8

  /** Of `parts` (uncompressed), those with data that another part follows and that do not end with `separator`. */
  def of(fs: FileSystem, parts: Seq[Part], separator: Array[Byte]): Seq[Part] = {
    val withData = parts.filter(_.length > 0).dropRight(1)
    withData.zip(lastBytes(fs, withData)).collect { case (part, end) if end != (separator.last & 0xff) => part }
  }

  /** The last byte of each part (all with data), read a few at a time. */
  def lastBytes(fs: FileSystem, parts: Seq[Part]): Seq[Int] =
    if (parts.isEmpty) Seq.empty
    else {
      val pool = Executors.newFixedThreadPool(math.min(Threads, parts.size))
      try {
        val ends = parts.map(part => pool.submit(new Callable[Int] { def call(): Int = lastByte(fs, part) }))
        ends.map(byte)
      } finally {
        pool.shutdownNow()
        pool.awaitTermination(10, TimeUnit.SECONDS)
      }
    }

  // The reader's own error, as if read here.
  private def byte(read: java.util.concurrent.Future[Int]): Int =
    try read.get
    catch { case e: ExecutionException => throw e.getCause }

  private def lastByte(fs: FileSystem, part: Part): Int =
    PartFiles.readAt(fs, part.path, part.length, part.length - 1, 1)(0) & 0xff
}
