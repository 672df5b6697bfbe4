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
      val added = copied.lineBreaksAdded.toLong * plan.lineBreaks.fold(0)(_.bytes.length)
      val expected = plan.expectedBytes.map(_ + added).getOrElse(copied.bytes)
      if (onDisk != copied.bytes || onDisk != expected)
        throw new IOException(
          s"the merged file has $onDisk bytes, but ${copied.bytes} were written and the parts add up to $expected"
        )
      Staged.Copy(file, copied.bytes, copied.lineBreaksAdded)
    } catch {
      case e: Throwable =>
        Publisher.discard(fs, file)
        ShutdownCleanup.release(fs, file)
        throw failing(e)
    }
  }

  final def publish(staged: Staged, overwrite: Boolean): String =
    try {
      checkTarget(overwrite)
      place(staged.path, overwrite)
      ""
    } catch {
      case e: IOException =>
        staged match {
          case Staged.Copy(file, _, _) =>
            Publisher.discard(fs, file)
            throw failing(e)
          case Staged.Sole(file, _) =>
            log.error(s"sparkmerge: the merged data is in $file", e)
            throw new MergeFailedException(
              s"concatenated the parts into $file, but could not publish it at $target (${FirstLine.of(e)}): " +
                s"the merged data is in $file",
              e
            )
          case other => throw new IllegalArgumentException(s"nothing to rename in $other", e)
        }
    } finally ShutdownCleanup.release(fs, staged.path)

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
