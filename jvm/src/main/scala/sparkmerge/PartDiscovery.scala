package sparkmerge

import java.io.FileNotFoundException

import org.apache.hadoop.fs.{FileSystem, Path}

/** Lists the data files of a directory that Spark wrote, in the order they go into the target. */
object PartDiscovery {

  /**
   * The parts of `dir`, side entries left out, sorted by [[PartOrder]].
   *
   * @param allowEmpty a directory without data files is a valid (empty) input, as for a DataFrame with no rows
   * @throws SourceNotFoundException `dir` does not exist
   * @throws InvalidLayoutException  `dir` is a file, or holds sub-directories (a partitioned write)
   * @throws EmptySourceException    no data files, unless allowEmpty
   */
  def list(fs: FileSystem, dir: Path, allowEmpty: Boolean = false): Vector[Part] = {
    val status =
      try fs.getFileStatus(dir)
      catch {
        case _: FileNotFoundException =>
          throw new SourceNotFoundException(
            s"source $dir does not exist: pass the directory the Spark job wrote its part files to"
          )
      }
    if (!status.isDirectory)
      throw new InvalidLayoutException(
        s"source $dir is a file, not a directory: pass the directory that holds the part files"
      )

    val entries = fs.listStatus(dir).filterNot(e => SideEntries.isSide(e.getPath.getName))
    val subDirectories = entries.filter(_.isDirectory).map(_.getPath.getName).sorted
    if (subDirectories.nonEmpty)
      throw new InvalidLayoutException(
        s"source $dir holds sub-directories (${subDirectories.take(3).mkString(", ")}" +
          s"${if (subDirectories.length > 3) ", ..." else ""}): a partitioned write makes one directory " +
          "per value; merge each directory on its own"
      )

    val parts = entries
      .map(e => Part(e.getPath, e.getLen, e.getBlockSize))
      .sortBy(part => PartOrder.key(part.name))(PartOrder.KeyOrder)
      .toVector
    if (parts.isEmpty && !allowEmpty)
      throw new EmptySourceException(
        s"source $dir holds no data files, only side entries or nothing: check that the Spark job wrote " +
          "its output there"
      )
    parts
  }
}
