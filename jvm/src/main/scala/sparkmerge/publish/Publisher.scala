package sparkmerge.publish

import java.io.IOException

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{InvalidLayoutException, TargetExistsException}

/**
 * Puts a finished file at its target in one rename, so readers see no file or the whole file. The file must be
 * in the target's directory, or on the same file system, so that the rename is a metadata operation on every
 * file system that has one. An existing target, when the caller allows overwriting, is moved aside first and
 * deleted only once the new file is in place; if that rename fails it is moved back.
 */
object Publisher {
  private val log = LoggerFactory.getLogger(getClass)

  /** Fails early, before any data moves, on a target that may not be written. */
  def checkTarget(fs: FileSystem, target: Path, overwrite: Boolean): Unit =
    if (fs.exists(target)) {
      if (fs.getFileStatus(target).isDirectory)
        throw new InvalidLayoutException(
          s"target $target is a directory: sparkmerge writes a file there and never removes a directory; " +
            "remove it yourself or choose another path"
        )
      if (!overwrite)
        throw new TargetExistsException(
          s"target $target already exists: allow overwriting it, or choose another path"
        )
    }

  def publish(fs: FileSystem, file: Path, target: Path, overwrite: Boolean): Unit = {
    checkTarget(fs, target, overwrite)
    if (fs.exists(target)) replace(fs, file, target)
    else if (!fs.rename(file, target)) {
      if (fs.exists(target))
        throw new TargetExistsException(s"target $target appeared while merging: pass overwrite to replace it")
      throw new IOException(s"could not rename $file to $target")
    }
  }

  private def replace(fs: FileSystem, file: Path, target: Path): Unit = {
    val aside = HiddenFiles.beside(target, "old")
    if (!fs.rename(target, aside)) throw new IOException(s"could not move the existing $target aside")
    val moved =
      try fs.rename(file, target)
      catch {
        case e: IOException =>
          restore(fs, aside, target)
          throw e
      }
    if (!moved) {
      restore(fs, aside, target)
      throw new IOException(s"could not rename $file to $target")
    }
    if (!fs.delete(aside, false)) log.warn(s"sparkmerge: could not delete the replaced file, now at $aside")
  }

  private def restore(fs: FileSystem, aside: Path, target: Path): Unit =
    if (!fs.rename(aside, target))
      log.error(s"sparkmerge: could not move the replaced file back from $aside to $target")

  /** Removes a hidden file; a failure to do so is logged, not raised, so the first error stays the one seen. */
  def discard(fs: FileSystem, file: Path, recursive: Boolean = false): Unit =
    try {
      if (fs.exists(file) && !fs.delete(file, recursive))
        log.warn(s"sparkmerge: could not delete $file")
    } catch {
      case e: IOException => log.warn(s"sparkmerge: could not delete $file", e)
    }
}
