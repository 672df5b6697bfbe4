package sparkmerge.publish

import java.nio.channels.FileChannel
import java.nio.file.{FileAlreadyExistsException, FileSystemException, Files, LinkOption, StandardCopyOption}
import java.nio.file.StandardOpenOption.{CREATE_NEW, READ, WRITE}

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}
import org.slf4j.LoggerFactory

import sparkmerge.MergeProgress
import sparkmerge.copy.{Copied, LocalCopy}
import sparkmerge.parts.SideEntries
import sparkmerge.plan.{MergePlan, Piece}

/**
 * A target on local disk. Parts on local disk too are copied through file channels ([[LocalCopy]]); parts
 * elsewhere are streamed. Only this destination takes a plan that resumes a file written ahead.
 *
 * @param fs  the caller's (checksummed) local file system, for deletes
 * @param raw the raw local file system under it, for the data
 */
private[sparkmerge] final class LocalFileDestination(val target: Path, val fs: FileSystem, val raw: RawLocalFileSystem)
    extends RenamingDestination {
  private val log = LoggerFactory.getLogger(classOf[LocalFileDestination])

  def dataFs: FileSystem = raw

  protected def copy(
      plan: MergePlan,
      source: FileSystem,
      file: Path,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied =
    source match {
      case local: RawLocalFileSystem =>
        val path = raw.pathToFile(file).toPath
        // Read as well as written: the kernel copy reads back the last byte it wrote (LineEnds). Positioned at the
        // end rather than opened to append, since the kernel copies into no file open for appending.
        val out = plan.pieces.headOption match {
          case Some(_: Piece.Resumed) => FileChannel.open(path, READ, WRITE)
          case _                      => FileChannel.open(path, CREATE_NEW, READ, WRITE)
        }
        try LocalCopy.run(local, plan, out.position(out.size), bufferBytes, progress)
        finally out.close()
      case other => stream(plan, other, raw, file, bufferBytes, progress)
    }

  /**
   * `rename(2)` replaces a file in one step, and `link(2)` fails if the name is taken: the two system calls give
   * both promises. The checksum file an old target may have (written through Hadoop's checksummed file system)
   * goes first: it would not match the new bytes, and a file without one is read unchecked.
   */
  protected def place(file: Path, overwrite: Boolean): Unit = {
    val from = raw.pathToFile(file).toPath
    val to = raw.pathToFile(target).toPath
    val checksum = to.resolveSibling(SideEntries.checksumOf(to.getFileName.toString))
    if (overwrite) {
      Files.deleteIfExists(checksum)
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE)
    } else {
      if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(checksum)
      try Files.createLink(to, from)
      catch {
        case _: FileAlreadyExistsException => throw Publisher.exists(target, appeared = true)
        case e @ (_: FileSystemException | _: UnsupportedOperationException) =>
          // A file system without hard links: the JDK's move checks that the name is free, then renames.
          log.debug(s"sparkmerge: no hard link for $to ($e); moving without replacing")
          try Files.move(from, to)
          catch { case _: FileAlreadyExistsException => throw Publisher.exists(target, appeared = true) }
      }
      Files.deleteIfExists(from)
    }
  }
}
