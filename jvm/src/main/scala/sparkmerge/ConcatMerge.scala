package sparkmerge

import java.io.IOException
import java.util.UUID

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

/**
 * The concat strategy: the first non-empty part becomes the merged file, the others' blocks are appended to it
 * by one `concat` call (one NameNode transaction: all sources move, or none), and one rename puts it at the
 * target. No data is read or written, so the time does not grow with the size.
 *
 * Everything that could fail after the parts are consumed is tried first on an empty probe file, so a refusal
 * leaves the parts as they were and the caller copies instead. Should the final rename still fail, the merged
 * data stays in the first part's file, which the error names: nothing is lost.
 */
object ConcatMerge {
  private val log = LoggerFactory.getLogger(getClass)

  /** The merged length once the target is in place, or why HDFS would not concat (nothing has changed then). */
  def run(fs: FileSystem, plan: MergePlan, overwrite: Boolean): Either[String, Long] = {
    val data = plan.pieces.filter(_.length > 0)
    val first = data.head.path
    val expected = data.map(_.length).sum
    Publisher.checkTarget(fs, plan.target, overwrite)
    fs.mkdirs(plan.target.getParent)
    probeRename(fs, first.getParent, plan.target)
      .orElse(concat(fs, data))
      .toLeft(publish(fs, first, plan.target, expected, overwrite))
  }

  /** Moves an empty file the way the merged one will go: cheap proof that the rename will be allowed. */
  private def probeRename(fs: FileSystem, dir: Path, target: Path): Option[String] = {
    val probe = new Path(dir, s".sparkmerge-probe-${UUID.randomUUID()}")
    val landed = Publisher.temporaryPath(target, "probe")
    try {
      fs.create(probe, false).close()
      if (fs.rename(probe, landed)) None else Some(s"a file cannot be moved from $dir to ${target.getParent}")
    } catch {
      case e: IOException => Some(s"a file cannot be moved from $dir to ${target.getParent}: ${firstLine(e)}")
    } finally {
      fs.delete(probe, false)
      fs.delete(landed, false)
    }
  }

  private def concat(fs: FileSystem, data: Seq[Piece]): Option[String] =
    if (data.size < 2) None // one part with data: the rename alone makes it the target
    else
      try {
        fs.concat(data.head.path, data.tail.map(_.path).toArray)
        None
      } catch {
        case e: IOException if untouched(fs, data) => Some(firstLine(e))
        case e: IOException                        =>
          throw new MergeFailedException(
            s"concat into ${data.head.path} failed part way (${firstLine(e)}); the data is in that file and in " +
              "the parts that remain beside it",
            e
          )
      }

  // HDFS concat is one transaction, so a refusal leaves every file as it was; this checks it, not trusts it.
  private def untouched(fs: FileSystem, data: Seq[Piece]): Boolean =
    data.forall(p => fs.exists(p.path) && fs.getFileStatus(p.path).getLen == p.length)

  private def publish(fs: FileSystem, merged: Path, target: Path, expected: Long, overwrite: Boolean): Long = {
    val length = fs.getFileStatus(merged).getLen
    try {
      if (length != expected)
        throw new IOException(s"the concatenated file has $length bytes, but the parts add up to $expected")
      Publisher.publish(fs, merged, target, overwrite)
    } catch {
      case e: IOException =>
        log.error(s"sparkmerge: the merged data is in $merged", e)
        throw new MergeFailedException(
          s"concatenated the parts into $merged, but could not publish it at $target (${firstLine(e)}): " +
            s"the merged data is in $merged",
          e
        )
    }
    length
  }

  private def firstLine(e: Throwable): String =
    Option(e.getMessage).map(_.linesIterator.toSeq.headOption.getOrElse("")).getOrElse(e.getClass.getSimpleName)
}
