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
private[sparkmerge] object Leftovers {
  private val log = LoggerFactory.getLogger(getClass)

  val StaleAfterMillis: Long = 24L * 60 * 60 * 1000

  /** Removes the stale hidden files of `target`; returns what it removed. */
  def clean(fs: FileSystem, listing: FileSystem, target: Path): Seq[Path] = remove(fs, staleOf(listing, target))

  /** The stale hidden files of `target`, for a destination that reads some of them before they go. */
  def staleOf(listing: FileSystem, target: Path): Seq[HiddenFiles.Hidden] =
    staleIn(listing, target.getParent, name => HiddenFiles.parse(target.getParent, target.getName, name))

  /** The hidden files of `target` of one kind whose merges may still run, stale ones left out. */
  def liveOf(listing: FileSystem, target: Path, kind: HiddenFiles.Kind): Seq[HiddenFiles.Hidden] =
    names(listing, target.getParent)
      .flatMap(name => HiddenFiles.parse(target.getParent, target.getName, name).toSeq)
      .filter(h => h.kind == kind && !stale(h))

  /** Removes the stale hidden files of every target in `dir`; returns what it removed. */
  def cleanDirectory(fs: FileSystem, listing: FileSystem, dir: Path): Seq[Path] =
    remove(fs, staleIn(listing, dir, name => HiddenFiles.targetOf(name).flatMap(HiddenFiles.parse(dir, _, name))))

  /** The names of the targets in `dir` that hidden files are of, stale or not. */
  def targetsIn(listing: FileSystem, dir: Path): Seq[String] =
    names(listing, dir).filter(_.startsWith(".")).flatMap(HiddenFiles.targetOf(_).toSeq).distinct

  def stale(hidden: HiddenFiles.Hidden, now: Long = System.currentTimeMillis()): Boolean =
    if (hidden.owner == Owner.self) !ShutdownCleanup.inUse(hidden.path)
    else hidden.owner.ended || now - hidden.millis > StaleAfterMillis

  /** Removes `leftovers`, found stale, that are provably ours ([[ours]]); returns what it removed. */
  def remove(fs: FileSystem, leftovers: Seq[HiddenFiles.Hidden]): Seq[Path] =
    leftovers.filter(ours(fs, _)).flatMap { leftover =>
      try {
        if (fs.delete(leftover.path, leftover.kind.directory)) {
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

  /**
   * Whether `hidden`, named as ours, is of the type we make under that name and, for a directory, holds at its top
   * nothing but what the writer puts there: a look-alike of someone else's is left alone, and said so.
   */
  def ours(fs: FileSystem, hidden: HiddenFiles.Hidden): Boolean = {
    val why =
      try {
        val status = fs.getFileStatus(hidden.path)
        if (status.isDirectory != hidden.kind.directory)
          Some(s"it is a ${if (status.isDirectory) "directory" else "file"}, where sparkmerge's would not be")
        else if (!hidden.kind.directory) None
        else
          fs.listStatus(hidden.path)
            .map(_.getPath.getName)
            .find(name => !HiddenFiles.WorkEntries(name))
            .map(name => s"it holds $name, which sparkmerge never puts there")
      } catch {
        case _: FileNotFoundException => Some("") // another cleaner was first: nothing to say
        case e: IOException           => Some(s"it cannot be read: ${FirstLine.of(e)}")
      }
    why.filter(_.nonEmpty).foreach { reason =>
      log.warn(s"sparkmerge: left ${hidden.path} alone: its name looks like sparkmerge's, but $reason")
    }
    why.isEmpty
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
