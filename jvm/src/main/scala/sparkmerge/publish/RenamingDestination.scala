package sparkmerge.publish

import java.io.IOException

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, MergeFailedException, MergeProgress}
import sparkmerge.copy.{Copied, StreamCopy}
import sparkmerge.plan.{MergePlan, Piece}

/**
 * A destination whose file system renames in one metadata operation: the merge is written into a hidden file
 * beside the target (or appended to the plan's resumed start of it), its length checked, and the file renamed
 * into place ([[place]]). Any failure before the rename removes the hidden file, and so does a JVM that is
 * stopped ([[ShutdownCleanup]]).
 */
private[sparkmerge] abstract class RenamingDestination extends Destination {
  private val log = LoggerFactory.getLogger(classOf[RenamingDestination])

  /** Writes the pieces into `file`, new or (for a resumed plan) holding the first piece. */
  protected def copy(plan: MergePlan, source: FileSystem, file: Path, bufferBytes: Int, progress: MergeProgress): Copied

  /**
   * Renames `file` to the target in one operation of the file system: without `overwrite` it fails if the target
   * exists, however it came to be there ([[sparkmerge.TargetExistsException]]); with it, readers see the old
   * file or the new one, never none.
   */
  protected def place(file: Path, overwrite: Boolean): Unit

  final def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged = {
    val file = plan.pieces.headOption match {
      case Some(resumed: Piece.Resumed) => resumed.path
      case _                            => HiddenFiles.beside(target, HiddenFiles.Kind.Copy)
    }
    ShutdownCleanup.register(fs, file)
    try {
      fs.mkdirs(target.getParent)
      val copied = copy(plan, source, file, bufferBytes, progress)
      val onDisk = dataFs.getFileStatus(file).getLen
      val expected = plan.expectedLength(copied.bytes, copied.lineBreaksAdded)
      if (onDisk != copied.bytes || onDisk != expected)
        throw new IOException(
          s"the merged file has $onDisk bytes, but ${copied.bytes} were written and the parts add up to $expected"
        )
      new StagedCopy(file, copied.bytes, copied.lineBreaksAdded)
    } catch {
      case e: Throwable =>
        Publisher.discard(fs, file)
        ShutdownCleanup.release(fs, file)
        throw failing(e)
    }
  }

  final override def concatenated: Option[(Path, Long) => Staged] = Some(new Concatenated(_, _))

  /** A hidden copy: if it cannot be published it is thrown away, and the sources still hold everything. */
  private final class StagedCopy(val path: Path, val length: Long, val lineBreaksAdded: Int) extends Staged {
    def publish(overwrite: Boolean): String = rename(path, overwrite) { e =>
      Publisher.discard(fs, path)
      failing(e)
    }
  }

  /** The only copy of the data (the parts were concatenated into it): never thrown away, named in every error. */
  private final class Concatenated(val path: Path, val length: Long) extends Staged {
    def lineBreaksAdded: Int = 0

    def publish(overwrite: Boolean): String = rename(path, overwrite) { e =>
      log.error(s"sparkmerge: the merged data is in $path", e)
      new MergeFailedException(
        s"concatenated the parts into $path, but could not publish it at $target (${FirstLine.of(e)}): " +
          s"the merged data is in $path",
        Some(e)
      )
    }
  }

  private def rename(file: Path, overwrite: Boolean)(failure: IOException => Throwable): String =
    try {
      checkTarget(overwrite)
      place(file, overwrite)
      ""
    } catch { case e: IOException => throw failure(e) }
    finally ShutdownCleanup.release(fs, file)

  /** Streams the pieces into a new file of `out`: for any source, on any file system. */
  protected def stream(
      plan: MergePlan,
      source: FileSystem,
      out: FileSystem,
      file: Path,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied = {
    val stream = out.create(file, false, bufferBytes)
    try StreamCopy.run(source, plan, stream, bufferBytes, progress)
    finally stream.close()
  }
}
