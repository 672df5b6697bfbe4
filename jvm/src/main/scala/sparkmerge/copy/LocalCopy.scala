package sparkmerge.copy

import java.nio.ByteBuffer
import java.nio.channels.{Channels, FileChannel}

import org.apache.hadoop.fs.RawLocalFileSystem

import sparkmerge.MergeProgress
import sparkmerge.plan.{MergePlan, Piece}

/**
 * The copy strategy from local disk to local disk. Whole parts whose places are known before the copy (Parquet,
 * ORC) go in on two threads ([[ParallelCopy]]). Otherwise the pieces go in order, through file channels: long runs
 * copied inside the kernel ([[KernelCopy]]) or, where a checksum file must see their bytes, a slice at a time
 * ([[CheckedRun]]), and short ones gathered in one direct buffer. Through Hadoop's streams the JDK copies every
 * read and write of a heap array through a native buffer of its own; a direct buffer goes to the kernel as it is.
 */
private[sparkmerge] object LocalCopy {

  // The buffer goes to the page cache in slices of this size, as cat writes: the kernel sizes the pages it
  // allocates by the write, and larger pages are the ones a VM's host takes back first (README, Benchmark).
  private val WriteSlice = 128 * 1024

  private val MinBuffer = 64L * 1024

  /**
   * Writes the plan's pieces to `out` (positioned after a resumed first piece, open for reading too); returns what
   * the file holds.
   */
  def run(
      fs: RawLocalFileSystem,
      plan: MergePlan,
      out: FileChannel,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied =
    if (ParallelCopy.fits(plan, out.position)) ParallelCopy.run(fs, plan, out, progress)
    else inOrder(fs, plan, out, bufferBytes, progress)

  private def inOrder(
      fs: RawLocalFileSystem,
      plan: MergePlan,
      out: FileChannel,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied = {
    // No larger than the data: a set of a thousand small files would zero a thousand buffers of 4 MiB.
    val buffer = ByteBuffer.allocateDirect(math.min(bufferBytes.toLong, math.max(plan.inputBytes, MinBuffer)).toInt)
    val lineEnds = new LineEnds(plan)
    val checker = if (plan.pieces.exists(_.checksum.isDefined)) Some(new Checker) else None
    val runs = new LongRuns(new KernelCopy(out), new CheckedRun(out))
    var written = 0L
    try
      plan.pieces.zipWithIndex.foreach { case (piece, index) =>
        val (added, last) = copy(fs, piece, out, buffer, runs, progress, checker)
        val separator = lineEnds.after(index, piece, last)
        if (separator.nonEmpty) {
          if (buffer.remaining < separator.length) flush(out, buffer)
          buffer.put(separator)
        }
        progress.fileDone(piece.files)
        written += added + separator.length
      }
    finally checker.foreach(_.close())
    flush(out, buffer)
    Copied(written, lineEnds.added)
  }

  /** The bytes the piece added and the last of them (-1 if none, or unknown). */
  private def copy(
      fs: RawLocalFileSystem,
      piece: Piece,
      out: FileChannel,
      buffer: ByteBuffer,
      runs: LongRuns,
      p: MergeProgress,
      checker: Option[Checker]
  ) =
    piece match {
      case resumed: Piece.Resumed =>
        p.settle(resumed.length) // already in the file: nothing to read
        (resumed.length, -1)
      case _ if piece.length == 0 => (0L, -1)
      case _                      =>
        val in = FileChannel.open(fs.pathToFile(piece.path).toPath)
        val check = ChecksumCheck.of(fs, piece)
        try {
          val copied = piece match {
            case slice: Piece.Slice =>
              check.foreach(c => checkSkipped(in, slice.offset, c))
              in.position(slice.offset)
              p.advance(slice.offset)
              val copied = drain(in, out, buffer, runs, p, check, checker, slice.until - slice.offset)
              check.foreach(c => checkSkipped(in, slice.cut, c)) // from `until`, where the drain stopped
              p.advance(slice.cut)
              copied
            case recoded: Piece.Recoded =>
              flush(out, buffer)
              val raw = Channels.newInputStream(in)
              val input = check.map(new CheckedInput(raw, _))
              val written =
                Recoder.recode(recoded, input.getOrElse(raw), Channels.newOutputStream(out), new Array[Byte](1 << 20))
              input.foreach(_.finish())
              p.advance(recoded.length)
              (written, -1)
            case resynced: Piece.Resynced =>
              flush(out, buffer)
              val raw = new java.io.BufferedInputStream(Channels.newInputStream(in), 1 << 20)
              val input = check.map(new CheckedInput(raw, _))
              val from = input.getOrElse(raw)
              AvroBlocks.skipHeader(resynced, from)
              p.advance(resynced.offset)
              val sink = new java.io.BufferedOutputStream(Channels.newOutputStream(out), 1 << 20)
              val written = AvroBlocks.copy(resynced, from, sink, new Array[Byte](1 << 20), p.advance)
              sink.flush()
              input.foreach(_.finish())
              (written, -1)
            case _ => drain(in, out, buffer, runs, p, check, checker)
          }
          if (!piece.isInstanceOf[Piece.Recoded] && !piece.isInstanceOf[Piece.Resynced]) check.foreach(_.finish())
          copied
        } finally {
          check.foreach(_.close())
          in.close()
        }
    }

  /** The next `bytes`, which the copy skips, still go through the check: its runs cover every byte, in order. */
  private def checkSkipped(in: FileChannel, bytes: Long, check: ChecksumCheck): Unit = {
    val header = ByteBuffer.allocate(bytes.toInt)
    while (header.hasRemaining && in.read(header) >= 0) {}
    check.update(header.array, 0, header.position())
  }

  private final class LongRuns(val kernel: KernelCopy, val checked: CheckedRun)

  // A long run goes through the kernel (KernelCopy), or a slice at a time if it has a check (CheckedRun). Short ones
  // are gathered into the buffer, written out only when full (and at the end), not once a piece: many small parts
  // take few writes, and the file system updates the file once a write.
  private def drain(
      in: FileChannel,
      out: FileChannel,
      buffer: ByteBuffer,
      runs: LongRuns,
      progress: MergeProgress,
      check: Option[ChecksumCheck],
      checker: Option[Checker],
      limit: Long = Long.MaxValue
  ): (Long, Int) =
    if (math.min(limit, in.size - in.position) >= KernelCopy.MinBytes) {
      flush(out, buffer) // earlier pieces' bytes, checked already
      check match {
        case Some(c) => runs.checked.copy(in, limit, progress, c)
        case None    => runs.kernel.copy(in, limit, progress)
      }
    } else buffered(in, out, buffer, progress, check.map(c => (c, checker.get)), limit)

  private def buffered(
      in: FileChannel,
      out: FileChannel,
      buffer: ByteBuffer,
      progress: MergeProgress,
      check: Option[(ChecksumCheck, Checker)],
      limit: Long
  ): (Long, Int) = {
    var total = 0L
    var last = -1
    var unchecked = buffer.position() // the bytes before are earlier pieces', checked already
    def read(): Int =
      if (total >= limit) -1
      else if (buffer.remaining <= limit - total) in.read(buffer)
      else {
        val end = buffer.limit()
        buffer.limit(buffer.position() + (limit - total).toInt)
        try in.read(buffer)
        finally buffer.limit(end)
      }
    var n = read()
    while (n >= 0) {
      if (n > 0) last = buffer.get(buffer.position() - 1) & 0xff
      total += n
      progress.advance(n)
      if (!buffer.hasRemaining) {
        // The check reads the buffer on another core while this one writes it out: the data is read once
        // from memory by each, and the check costs next to no time. Nothing fills the buffer before both end.
        val checking = check.map { case (c, checker) => checker.update(c, buffer, unchecked, buffer.position()) }
        flush(out, buffer)
        checking.foreach(Checker.await)
        unchecked = 0
      }
      n = read()
    }
    check.foreach(_._1.update(buffer, unchecked, buffer.position()))
    (total, last)
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
