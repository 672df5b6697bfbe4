package sparkmerge.concat

import java.io.IOException
import java.util.UUID

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.{FirstLine, MergeFailedException, MergeProgress}
import sparkmerge.plan.{MergePlan, Piece}
import sparkmerge.publish.{HiddenFiles, ShutdownCleanup, Staged}

/**
 * The concat strategy: the first non-empty part becomes the merged file, and the others' blocks are appended to
 * it by one `concat` call (one NameNode transaction: all sources move, or none). No data is read or written, so
 * the time does not grow with the size. The merged file is left where the first part was, for the destination
 * to publish.
 *
 * Everything that could fail after the parts are consumed is tried first on an empty probe file, so a refusal
 * leaves the parts as they were and the planner plans a copy instead.
 */
private[sparkmerge] object ConcatMerge {

  /** The merged file, holding the only copy of the data, or why HDFS would not concat (nothing changed then). */
  def run(
      fs: FileSystem,
      plan: MergePlan,
      progress: MergeProgress,
      staged: (Path, Long) => Staged
  ): Either[String, Staged] = {
    val data = plan.pieces.filter(_.length > 0)
    val first = data.head.path
    val refused =
      try {
        fs.mkdirs(plan.target.getParent)
        probeRename(fs, first.getParent, plan.target)
      } catch { case e: IOException => Some(FirstLine.of(e)) }
    refused.orElse(concat(fs, data)).toLeft {
      val expected = data.map(_.length).sum
      val length =
        try fs.getFileStatus(first).getLen
        catch {
          case e: IOException => throw consumed(first, s"its length cannot be read (${FirstLine.of(e)})", Some(e))
        }
      if (length != expected) throw consumed(first, s"it has $length bytes where the parts add up to $expected")
      progress.settle(length) // the blocks moved; no byte did
      staged(first, length)
    }
  }

  private def consumed(first: Path, what: String, cause: Option[Throwable] = None) =
    new MergeFailedException(s"concatenated the parts into $first, but $what: the merged data is in $first", cause)

  /** Moves an empty file the way the merged one will go: cheap proof that the rename will be allowed. */
  private def probeRename(fs: FileSystem, dir: Path, target: Path): Option[String] = {
    val probe = new Path(dir, s".sparkmerge-probe-${UUID.randomUUID()}")
    val landed = HiddenFiles.beside(target, HiddenFiles.Kind.Probe)
    ShutdownCleanup.register(fs, landed)
    try {
      fs.create(probe, false).close()
      if (fs.rename(probe, landed)) None else Some(s"a file cannot be moved from $dir to ${target.getParent}")
    } catch {
      case e: IOException => Some(s"a file cannot be moved from $dir to ${target.getParent}: ${FirstLine.of(e)}")
    } finally {
      fs.delete(probe, false)
      fs.delete(landed, false)
      ShutdownCleanup.release(fs, landed)
    }
  }

  private def concat(fs: FileSystem, data: Seq[Piece]): Option[String] =
    if (data.size < 2) None // one part with data: the rename alone makes it the target
    else
      try {
        fs.concat(data.head.path, data.tail.map(_.path).toArray)
        None
      } catch {
        case e: IOException if untouched(fs, data) => Some(FirstLine.of(e))
        case e: IOException                        =>
          throw new MergeFailedException(
            s"concat into ${data.head.path} failed part way (${FirstLine.of(e)}); the data is in that file and in " +
              "the parts that remain beside it",
            Some(e)
          )
      }

  // HDFS concat is one transaction, so a refusal leaves every file as it was; this checks it, not trusts it.
  private def untouched(fs: FileSystem, data: Seq[Piece]): Boolean =
    data.forall(p => fs.exists(p.path) && fs.getFileStatus(p.path).getLen == p.length)
}
