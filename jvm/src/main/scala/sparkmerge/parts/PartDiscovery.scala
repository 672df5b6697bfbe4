package sparkmerge.parts

import java.io.{FileNotFoundException, IOException}
import java.nio.file.{Files, SecureDirectoryStream}
import java.nio.file.attribute.{BasicFileAttributeView, BasicFileAttributes}

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

import sparkmerge.{
  EmptySourceException,
  FirstLine,
  InvalidLayoutException,
  MergeFailedException,
  SourceNotFoundException,
  SparkMergeException
}

/** Lists the data files of a directory that Spark wrote, in the order they go into the target. */
private[sparkmerge] object PartDiscovery {

  /**
   * The parts of `dir`, side entries left out, sorted by [[PartKey]].
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

    val (entries, checksums) =
      try listing(fs, dir)
      catch {
        case e: IOException if !e.isInstanceOf[SparkMergeException] =>
          throw new MergeFailedException(s"source $dir cannot be listed: ${FirstLine.of(e)}", Some(e))
      }
    val subDirectories = entries.filter(_.directory).map(_.name).sorted
    if (subDirectories.nonEmpty)
      throw new InvalidLayoutException(
        s"source $dir holds sub-directories (${subDirectories.take(3).mkString(", ")}" +
          s"${if (subDirectories.length > 3) ", ..." else ""}): a partitioned write makes one directory " +
          "per value; merge each directory on its own, or all of them into a file per value with the partition " +
          "columns in braces in the target, out/{country}.csv"
      )

    // Each key parsed once, not twice a comparison.
    val child = ChildPaths.in(dir)
    val parts = entries
      .map(e => PartKey.of(e.name) -> e)
      .sortBy(_._1)
      .map { case (_, e) =>
        Part(child(e.name), e.length, e.blockSize, Some(SideEntries.checksumOf(e.name)).filter(checksums).map(child))
      }
      .toVector
    if (parts.isEmpty && !allowEmpty)
      throw new EmptySourceException(
        s"source $dir holds no data files, only side entries or nothing: check that the Spark job wrote " +
          "its output there"
      )
    parts
  }

  private final case class Entry(name: String, directory: Boolean, length: Long, blockSize: Long)

  /** The directory's entries, side entries left out, and the names of the checksum files among them. */
  private def listing(fs: FileSystem, dir: Path): (Seq[Entry], Set[String]) = fs match {
    case local: RawLocalFileSystem =>
      // Hadoop's local listing stats each file several times and parses each path: for many small parts that
      // costs more than copying them.
      val blockSize = local.getDefaultBlockSize(dir)
      val stream = Files.newDirectoryStream(local.pathToFile(dir).toPath)
      // Where the JDK offers it (Linux), each file is looked up in the open directory, not from the root.
      val attributes: java.nio.file.Path => BasicFileAttributes = stream match {
        case secure: SecureDirectoryStream[java.nio.file.Path @unchecked] =>
          file => secure.getFileAttributeView(file.getFileName, classOf[BasicFileAttributeView]).readAttributes()
        case _ => file => Files.readAttributes(file, classOf[BasicFileAttributes])
      }
      try {
        val entries = Seq.newBuilder[Entry]
        val checksums = Set.newBuilder[String]
        val files = stream.iterator()
        while (files.hasNext) {
          val file = files.next()
          val name = file.getFileName.toString
          if (SideEntries.isChecksum(name)) checksums += name
          else if (!SideEntries.isSide(name)) {
            val found =
              try attributes(file)
              catch {
                case e: IOException =>
                  throw new MergeFailedException(
                    s"$name in $dir cannot be read (${FirstLine.of(e)}): a link to nothing, or a file without " +
                      "permission? fix it or remove it",
                    Some(e)
                  )
              }
            entries += Entry(name, found.isDirectory, found.size, blockSize)
          }
        }
        (entries.result(), checksums.result())
      } finally stream.close()
    case _ =>
      val all = fs.listStatus(dir).map(s => Entry(s.getPath.getName, s.isDirectory, s.getLen, s.getBlockSize)).toSeq
      (all.filterNot(e => SideEntries.isSide(e.name)), all.map(_.name).filter(SideEntries.isChecksum).toSet)
  }
}
