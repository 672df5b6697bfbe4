package sparkmerge.partitions

import java.io.IOException

import scala.util.control.NonFatal

import org.apache.hadoop.fs.{FileSystem, Path}

/**
 * The folders a template's write makes: its fixed folder (for the hidden work directory and the claims) and
 * the folders of the values' files. A write that fails, or has no file to publish, removes those of them that
 * did not exist before it and are empty, deepest first: never one that existed, never one that holds anything.
 * What existed is seen before anything is made; the values' folders only where the fixed folder existed (else
 * every folder under it is new), once per folder.
 */
private[sparkmerge] final class NewFolders(fs: FileSystem, fixed: Path) {
  private val fixedChain = NewFolders.missing(fs, fixed, stop = None)
  @volatile private var below = Seq.empty[Path]

  /** Before the files of `targets` are written: their folders that do not exist yet. */
  def beforeFiles(targets: Seq[Path]): Unit = {
    val folders = targets.map(_.getParent).distinct.filter(f => NewFolders.under(f, fixed))
    below =
      if (fixedChain.nonEmpty) folders.flatMap(NewFolders.chain(_, fixed)).distinct
      else folders.flatMap(NewFolders.missing(fs, _, stop = Some(fixed))).distinct
  }

  /** Removes each new folder that is empty now, the deepest first. */
  def removeEmpty(): Unit =
    (below ++ fixedChain).distinct.sortBy(-_.depth).foreach { folder =>
      try if (fs.listStatus(folder).isEmpty) fs.delete(folder, false)
      catch { case _: IOException => () } // gone already, or not ours to remove: left as it is
    }
}

private[sparkmerge] object NewFolders {

  /** `body` with the folders it makes under `fixed` tracked, and the empty new ones removed if it fails or is empty. */
  def around[T](fs: FileSystem, fixed: Path)(body: NewFolders => Seq[T]): Seq[T] = {
    val folders = new NewFolders(fs, fs.makeQualified(fixed))
    val results =
      try body(folders)
      catch { case NonFatal(e) => folders.removeEmpty(); throw e }
    if (results.isEmpty) folders.removeEmpty()
    results
  }

  /** `folder` and its parents that do not exist, up to the first that does, or to `stop` (excluded). */
  private def missing(fs: FileSystem, folder: Path, stop: Option[Path]): Seq[Path] =
    Iterator
      .iterate(folder)(_.getParent)
      .takeWhile(f => f != null && !stop.contains(f))
      .takeWhile(f => !fs.exists(f))
      .toVector

  /** `folder` and its parents up to `top`, excluded. */
  private def chain(folder: Path, top: Path): Seq[Path] =
    Iterator.iterate(folder)(_.getParent).takeWhile(f => f != null && f != top).toVector

  private def under(folder: Path, top: Path): Boolean =
    Iterator.iterate(folder)(_.getParent).takeWhile(_ != null).contains(top)
}
