package sparkmerge.publish

import java.nio.channels.FileChannel
import java.nio.file.StandardOpenOption.{APPEND, CREATE_NEW, WRITE}

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

import sparkmerge.MergeProgress
import sparkmerge.copy.LocalCopy
import sparkmerge.plan.{MergePlan, Piece}

/**
 * A target on local disk. Parts on local disk too are copied through file channels ([[LocalCopy]]); parts
 * elsewhere are streamed. Only this destination takes a plan that resumes a file written ahead.
 *
 * @param fs  the caller's (checksummed) local file system, for renames and deletes
 * @param raw the raw local file system under it, for the data
 */
final class LocalFileDestination(val target: Path, val fs: FileSystem, val raw: RawLocalFileSystem)
    extends RenamingDestination {

  def dataFs: FileSystem = raw

  protected def copy(plan: MergePlan, source: FileSystem, file: Path, bufferBytes: Int, progress: MergeProgress): Long =
    source match {
      case local: RawLocalFileSystem =>
        val path = raw.pathToFile(file).toPath
        val out = plan.pieces.headOption match {
          case Some(_: Piece.Resumed) => FileChannel.open(path, WRITE, APPEND)
          case _                      => FileChannel.open(path, CREATE_NEW, WRITE)
        }
        try LocalCopy.run(local, plan, out, bufferBytes, progress)
        finally out.close()
      case other => stream(plan, other, raw, file, bufferBytes, progress)
    }
}
