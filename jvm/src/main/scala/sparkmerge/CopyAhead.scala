package sparkmerge

import java.nio.channels.FileChannel
import java.nio.file.{Files, Path => NioPath}

import scala.util.control.NonFatal

import org.apache.hadoop.fs.{Path, RawLocalFileSystem}
import org.slf4j.LoggerFactory

/**
 * Copies the parts of a local write into the merged file while Spark still writes the later ones, so that when
 * the job ends only its last parts are left to copy.
 *
 * It reads what Hadoop's FileOutputCommitter (algorithm 1, Spark's default) leaves once a task has committed:
 * `_temporary/<attempt>/task_..._m_<partition>/`, final files that the job's commit then moves by name into the
 * output directory. It takes them in partition order and records each under the path it will have there.
 * Nothing of this is trusted: [[CopiedAhead.fits]] compares the record with the parts actually listed after the
 * job, and the merge starts over if they differ. A partition that writes no file commits no task directory, so
 * copying ahead stops there; another committer leaves nothing to find. In both cases the rest is copied after
 * the job, as it would be without this class.
 *
 * @param first     pieces known before the job starts (the rendered header)
 * @param outputDir the directory the job writes to
 * @param temporary the file to copy into; it must not exist
 */
final class CopyAhead(
    fs: RawLocalFileSystem,
    first: Vector[Part],
    outputDir: Path,
    temporary: Path,
    bufferBytes: Int
) {
  private val log = LoggerFactory.getLogger(classOf[CopyAhead])
  private val thread = new Thread(() => run(), "sparkmerge-copy-ahead")
  @volatile private var stopping = false
  // Written by the thread only, read after join().
  private var pieces = Vector.empty[Piece]
  private var bytes = 0L
  @volatile private var count = 0
  // Where the job's committed tasks go and the job's name in them, known from the first one: from then on each
  // poll looks for one directory, not through a listing of thousands.
  private var job: Option[(NioPath, String)] = None

  /** How many pieces are in the file so far; for logs and tests, while the copy runs. */
  def piecesCopied: Int = count

  def start(): CopyAhead = {
    thread.setDaemon(true)
    thread.start()
    this
  }

  /** Stops once the file in hand is copied, and returns what the temporary file holds. */
  def stop(): CopiedAhead = {
    stopping = true
    thread.join()
    CopiedAhead(temporary, pieces, bytes)
  }

  private def run(): Unit =
    try {
      val out = new DirectAppend(fs.pathToFile(temporary).toPath, bufferBytes)
      try copyCommitted(out)
      finally
        try out.close(bytes)
        catch {
          case NonFatal(e) =>
            pieces = Vector.empty
            bytes = -1L // no file has this length: CopiedAhead.fits refuses it
            throw e
        }
    } catch {
      // The job's commit moves the task directories away under our feet; what was copied before stays good.
      case NonFatal(e) => log.debug(s"sparkmerge: copying ahead stopped after ${pieces.size} pieces: $e")
    }

  private def copyCommitted(out: DirectAppend): Unit = {
    first.foreach(part => append(part.path, part.path, out))
    var next = 0
    while (!stopping)
      committedTask(next) match {
        case Some(dir) =>
          PartDiscovery
            .list(fs, new Path(dir.toUri), allowEmpty = true)
            .foreach(part => append(part.path, new Path(outputDir, part.name), out))
          next += 1
        case None => Thread.sleep(CopyAhead.PollMillis)
      }
  }

  private def append(from: Path, recordedAs: Path, out: DirectAppend): Unit = {
    val in = FileChannel.open(fs.pathToFile(from).toPath)
    try {
      val copied = out.append(in)
      pieces :+= Piece.Whole(recordedAs, copied)
      bytes += copied
      count = pieces.size
    } finally in.close()
  }

  /** `_temporary/<application attempt>/task_<job>_m_<partition>`, once the task has committed. */
  private def committedTask(partition: Int): Option[NioPath] = {
    if (job.isEmpty) job = firstCommitted()
    job
      .map { case (attemptDir, name) => attemptDir.resolve(f"task_${name}_m_$partition%06d") }
      .filter(Files.isDirectory(_))
  }

  private def firstCommitted(): Option[(NioPath, String)] = {
    val temporaryDir = fs.pathToFile(new Path(outputDir, "_temporary")).toPath
    CopyAhead
      .directories(temporaryDir)
      .iterator
      .flatMap(attemptDir => CopyAhead.directories(attemptDir).map(attemptDir -> _.getFileName.toString))
      .collectFirst { case (attemptDir, CopyAhead.TaskDir(name, _)) => attemptDir -> name }
  }
}

object CopyAhead {
  private val PollMillis = 50L
  private val TaskDir = "task_(.+)_m_(\\d+)".r

  private def directories(dir: NioPath): Seq[NioPath] =
    if (!Files.isDirectory(dir)) Seq.empty
    else {
      val stream = Files.newDirectoryStream(dir)
      try {
        val found = Seq.newBuilder[NioPath]
        stream.forEach(entry => if (Files.isDirectory(entry)) found += entry)
        found.result()
      } finally stream.close()
    }
}

/**
 * What [[CopyAhead]] copied: the file holds exactly these pieces, `bytes` in all, recorded under the paths they
 * have after the job's commit.
 */
final case class CopiedAhead(temporary: Path, pieces: Vector[Piece], bytes: Long) {

  /** The plan starts with these very pieces and the file still has their length: the merge may go on from here. */
  def fits(plan: MergePlan, fs: RawLocalFileSystem): Boolean = {
    val file = fs.pathToFile(temporary)
    plan.strategy == Strategy.Copy && plan.pieces.startsWith(pieces) && file.isFile && file.length == bytes
  }
}
