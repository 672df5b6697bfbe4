package sparkmerge.writer

import java.nio.channels.FileChannel

import scala.util.control.NonFatal

import org.apache.hadoop.fs.{Path, RawLocalFileSystem}
import org.slf4j.LoggerFactory

import sparkmerge.parts.{Part, PartDiscovery}
import sparkmerge.copy.ChecksumCheck
import sparkmerge.plan.Piece

/**
 * Copies the parts of a local write into the merged file while Spark still writes the later ones, so that when
 * the job ends only its last parts are left to copy.
 *
 * It takes the [[CommittedTasks]] in partition order and records each file under the path it will have once
 * the job's commit has moved it. Nothing of this is trusted: the planner compares the record with the parts
 * listed after the job, and plans the whole copy if they differ. A partition that writes no file commits no
 * task directory, so copying ahead stops there; another committer leaves nothing to find. In both cases the rest
 * is copied after the job.
 *
 * @param first     pieces known before the job starts (the rendered header)
 * @param outputDir the directory the job writes to
 * @param file      the file to copy into; it must not exist
 */
private[sparkmerge] final class CopyAhead(
    fs: RawLocalFileSystem,
    first: Vector[Part],
    outputDir: Path,
    file: Path,
    bufferBytes: Int
) {
  private val log = LoggerFactory.getLogger(classOf[CopyAhead])
  private val tasks = new CommittedTasks(fs.pathToFile(outputDir).toPath)
  private val out = new DirectAppend(fs.pathToFile(file).toPath, bufferBytes)
  private val thread = new Thread(() => poll(), "sparkmerge-copy-ahead")
  @volatile private var stopping = false
  // Touched by one thread at a time: the copying thread, then (after join) the caller of stop().
  private var pieces = Vector.empty[Piece]
  private var bytes = 0L
  private var nextPartition = 0
  private var broken = false

  /** Copies, every few milliseconds until stopped, what has committed since. */
  def start(): CopyAhead = {
    thread.setDaemon(true)
    thread.start()
    this
  }

  /**
   * Copies the first pieces, then every task committed so far in partition order, up to the first that has
   * not; returns how many pieces the file holds.
   */
  def copyCommitted(): Int = {
    if (!broken)
      try {
        if (pieces.isEmpty) first.foreach(part => append(part, part.path, part.checksum, files = 0))
        var committed = tasks.of(nextPartition)
        while (committed.isDefined && !stopping) {
          PartDiscovery
            .list(fs, new Path(committed.get.toUri), allowEmpty = true)
            .foreach { part =>
              append(part, new Path(outputDir, part.name), part.checksum.map(c => new Path(outputDir, c.getName)))
            }
          nextPartition += 1
          committed = tasks.of(nextPartition)
        }
      } catch {
        // The job's commit moves the task directories away under our feet; what was copied before stays good,
        // a piece copied in part is cut off when the file closes.
        case NonFatal(e) =>
          log.debug(s"sparkmerge: copying ahead stopped after ${pieces.size} pieces: $e")
          broken = true
      }
    pieces.size
  }

  /** Stops once the file in hand is copied; what the file holds, if it holds anything. */
  def stop(): Option[Piece.Resumed] = {
    stopping = true
    if (thread.isAlive) thread.join()
    val closed =
      try { out.close(bytes); true }
      catch { case NonFatal(e) => log.debug(s"sparkmerge: the file copied ahead did not close: $e"); false }
    if (!closed || pieces.isEmpty) None else Some(Piece.Resumed(file, bytes, pieces))
  }

  private def poll(): Unit =
    while (!stopping && !broken) {
      copyCommitted()
      if (!stopping) Thread.sleep(CopyAhead.PollMillis)
    }

  /** Appends `part`, checked against its checksum file, recorded as the piece it will be once the job commits. */
  private def append(part: Part, path: Path, checksum: Option[Path], files: Int = 1): Unit = {
    val in = FileChannel.open(fs.pathToFile(part.path).toPath)
    val check = ChecksumCheck.of(fs, Piece.Whole(part.path, part.length, part.checksum))
    try {
      val piece = Piece.Whole(path, out.append(in, check), checksum, files)
      check.foreach(_.finish())
      pieces :+= piece
      bytes += piece.length
    } finally {
      check.foreach(_.close())
      in.close()
    }
  }
}

private[sparkmerge] object CopyAhead {
  private val PollMillis = 50L
}
