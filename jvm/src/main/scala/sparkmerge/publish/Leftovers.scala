package sparkmerge.publish

import java.io.{FileNotFoundException, IOException}
import java.nio.file.Files

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}
import org.slf4j.LoggerFactory

import sparkmerge.FirstLine

/**
 * The hidden files of merges that died before they finished (killed, or their machine lost), found beside a
 * target and removed: the next merge to the same target does it, and so does `python -m sparkmerge --clean`.
 * None of them ever holds the only copy of anything: a merge's data stays in its sources until the target is in
 * place. A file is left alone while its merge may still run: one that a merge of this JVM works in, or one of
 * a live process on this host; one from another host, until it is [[StaleAfterMillis]] old.
 */
object Leftovers {
  private val log = LoggerFactory.getLogger(getClass)

  val StaleAfterMillis: Long = 24L * 60 * 60 * 1000

  /** Removes the stale hidden files of `target`; returns what it removed. */
  def clean(fs: FileSystem, listing: FileSystem, target: Path): Seq[Path] = remove(fs, staleOf(listing, target))

  /** The stale hidden files of `target`, for a destination that reads some of them before they go. */
  def staleOf(listing: FileSystem, target: Path): Seq[HiddenFiles.Hidden] =
    staleIn(listing, target.getParent, name => HiddenFiles.parse(target.getParent, target.getName, name))

  /** Removes the stale hidden files of every target in `dir`; returns what it removed. */
  def cleanDirectory(fs: FileSystem, listing: FileSystem, dir: Path): Seq[Path] =
    remove(fs, staleIn(listing, dir, name => HiddenFiles.targetOf(name).flatMap(HiddenFiles.parse(dir, _, name))))

  /** The names of the targets in `dir` that hidden files are of, stale or not. */
  def targetsIn(listing: FileSystem, dir: Path): Seq[String] =
    names(listing, dir).filter(_.startsWith(".")).flatMap(HiddenFiles.targetOf(_).toSeq).distinct

  def stale(hidden: HiddenFiles.Hidden, now: Long = System.currentTimeMillis()): Boolean =
    if (hidden.owner == Owner.self) !ShutdownCleanup.inUse(hidden.path)
    else hidden.owner.ended || now - hidden.millis > StaleAfterMillis

  /** Removes `leftovers`, found stale; returns what it removed. */
  def remove(fs: FileSystem, leftovers: Seq[HiddenFiles.Hidden]): Seq[Path] =
    leftovers.flatMap { leftover =>
      try {
        if (fs.delete(leftover.path, true)) {
          log.info(s"sparkmerge: removed ${leftover.path}, left by a merge that did not finish")
          Some(leftover.path)
        } else None
      } catch {
        case e: IOException =>
          log.warn(
            s"sparkmerge: could not remove ${leftover.path}, left by a merge that did not finish: " +
              FirstLine.of(e)
          )
          None
      }
    }

  private def staleIn(fs: FileSystem, dir: Path, parse: String => Option[HiddenFiles.Hidden]): Seq[HiddenFiles.Hidden] =
    names(fs, dir).filter(_.startsWith(".")).flatMap(name => parse(name).toSeq).filter(stale(_))

  // Names only: Hadoop's local listing would read the attributes of every file in what may be a large directory.
  private def names(fs: FileSystem, dir: Path): Seq[String] =
    try
      fs match {
        case local: RawLocalFileSystem =>
          val stream = Files.newDirectoryStream(local.pathToFile(dir).toPath)
          try {
            val found = Seq.newBuilder[String]
            stream.forEach(entry => found += entry.getFileName.toString)
            found.result()
          } finally stream.close()
        case _ => fs.listStatus(dir).map(_.getPath.getName).toSeq
      }
    catch {
      case _: FileNotFoundException | _: java.nio.file.NoSuchFileException => Seq.empty // no directory yet
      // Cleaning up after others is a courtesy: it never fails the merge at hand.
      case e: IOException =>
        log.warn(s"sparkmerge: could not look for files left by merges that did not finish in $dir: ${FirstLine.of(e)}")
        Seq.empty
    }
}
