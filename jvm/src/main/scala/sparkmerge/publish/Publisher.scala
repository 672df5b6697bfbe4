package sparkmerge.publish

import java.io.IOException

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{InvalidLayoutException, TargetExistsException}

/** What every destination checks of a target before it writes one, and how it throws a hidden file away. */
private[sparkmerge] object Publisher {
  private val log = LoggerFactory.getLogger(getClass)

  /** Fails early, before any data moves, on a target that may not be written. */
  def checkTarget(fs: FileSystem, target: Path, overwrite: Boolean): Unit =
    if (fs.exists(target)) {
      if (fs.getFileStatus(target).isDirectory)
        throw new InvalidLayoutException(
          s"target $target is a directory: sparkmerge writes a file there and never removes a directory; " +
            "remove it yourself or choose another path"
        )
      if (!overwrite) throw exists(target)
    }

  /** The error of a target that is there, found before the merge or by the publishing rename itself. */
  def exists(target: Path, appeared: Boolean = false): TargetExistsException =
    new TargetExistsException(
      s"target $target ${if (appeared) "appeared while merging" else "already exists"}: allow overwriting it, or " +
        "choose another path"
    )

  /** An overwrite that found another object than the one seen when the merge began: someone else's. */
  def replacedMeanwhile(target: Path): TargetExistsException =
    new TargetExistsException(
      s"target $target was written by someone else while this merge ran: it is left as they made it; merge " +
        "again to replace it"
    )

  /** Removes a hidden file; a failure to do so is logged, not raised, so the first error stays the one seen. */
  def discard(fs: FileSystem, file: Path, recursive: Boolean = false): Unit =
    try {
      if (fs.exists(file) && !fs.delete(file, recursive))
        log.warn(s"sparkmerge: could not delete $file")
    } catch {
      case e: IOException => log.warn(s"sparkmerge: could not delete $file", e)
    }
}
