package sparkmerge.plan

import java.nio.file.StandardOpenOption

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

import sparkmerge.{InvalidLayoutException, MergeFailedException}
import sparkmerge.concat.ConcatSupport
import sparkmerge.parts.{DataFileSystem, Part}
import sparkmerge.publish.{HiddenFiles, Leftovers, ShutdownCleanup}

/**
 * The small files a plan writes to be one of its pieces (a joined Parquet footer, a byte-order mark): none is
 * the caller's data, and each is gone once the merge ends ([[remove]]).
 *
 * Each lies where every strategy can take it: among the parts where they may be consumed (HDFS concat moves
 * only files of one directory), else hidden beside the target. In both places a killed merge's are found and
 * removed by the next merge to that target ([[cleanAmong]], [[sparkmerge.publish.Leftovers]]).
 */
private[sparkmerge] object ScratchFiles {

  /** Writes `bytes` to a new hidden file of `kind` for the merge of `request`; `first` is the first data part. */
  def write(
      request: MergeRequest,
      destination: PlannedStore,
      first: Part,
      kind: HiddenFiles.Kind,
      bytes: Array[Byte]
  ): Path = {
    val fs = request.fs
    // Only a merge that writes such a file lists the parts' folder again for a killed one's.
    cleanAmong(fs, request.directory, destination.target)
    val besideTarget = HiddenFiles.beside(destination.target, kind)
    val path =
      if (request.consumable) new Path(first.path.getParent, besideTarget.getName)
      else if (fs.getUri == destination.fs.getUri) besideTarget
      else
        throw new InvalidLayoutException(
          s"the parts of ${request.directory} are joined on their own file system, and the target " +
            s"${destination.target} is on another: write the target beside them, or copy the directory first"
        )
    ShutdownCleanup.register(fs, path)
    // HDFS concatenates no file of a larger block size than the first's.
    val blockSize = if (first.blockSize > 0) first.blockSize else fs.getDefaultBlockSize(path)
    try {
      fs.mkdirs(path.getParent)
      DataFileSystem.of(fs) match {
        // Hadoop's local file system sets a new file's permissions by running chmod, a process per file.
        case local: RawLocalFileSystem =>
          java.nio.file.Files.write(local.pathToFile(path).toPath, bytes, StandardOpenOption.CREATE_NEW)
        case _ =>
          val out = fs.create(path, false, 4096, fs.getDefaultReplication(path), blockSize)
          try out.write(bytes)
          finally out.close()
      }
    } catch {
      case e: java.io.IOException =>
        remove(fs, Seq(path))
        throw new MergeFailedException(s"could not write $path for the merge: ${e.getMessage}", Some(e))
    }
    path
  }

  /**
   * Removes the stale files of killed merges into `target` among the parts of `directory` on HDFS, where a merge
   * that may consume the parts writes its own: in the caller's directory, no other merge would look for them.
   */
  private def cleanAmong(fs: FileSystem, directory: Path, target: Path): Unit =
    if (ConcatSupport.trusted(fs)) Leftovers.clean(fs, fs, new Path(directory, target.getName))

  /** Removes the plan's files once the merge has ended, however; a concat has consumed them already. */
  def remove(fs: FileSystem, files: Seq[Path]): Unit = files.foreach { path =>
    try fs.delete(path, false)
    catch { case _: java.io.IOException => () } // the next merge to the target finds it, as a leftover
    ShutdownCleanup.release(fs, path)
  }
}
