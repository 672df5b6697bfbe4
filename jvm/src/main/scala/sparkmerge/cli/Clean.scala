package sparkmerge.cli

import java.io.{FileNotFoundException, IOException}

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, PathArgument}
import sparkmerge.partitions.PathTemplate
import sparkmerge.publish.{Destination, HiddenFiles, Leftovers}

/**
 * `--clean PATH`: what merges killed outright left behind, removed. PATH is a target (its hidden files go), a
 * directory (the hidden files of every target in it and in the folders under it), or a `{column}` template (the
 * folders the template writes into, from the directory before its first placeholder down). Only what
 * [[Leftovers]] proves ours goes; hidden folders are not entered.
 */
private[sparkmerge] object Clean {
  private val log = LoggerFactory.getLogger(getClass)

  /** Folders deeper than this under PATH are not looked into: a bound on a tree that may be a store's. */
  val MaxDepth = 64

  def apply(path: String, conf: Configuration): Seq[Path] = {
    val start =
      if (!PathTemplate.isTemplate(path)) path
      else Some(PathTemplate.parse(path).fixedDirectory).filter(_.nonEmpty).getOrElse(".")
    val destination = Destination.of(PathArgument.parse(start, "path"), conf)
    val isDirectory =
      try destination.fs.getFileStatus(destination.target).isDirectory
      catch { case _: FileNotFoundException => false }
    if (isDirectory) tree(destination.target, conf, 0) else destination.cleanLeftovers()
  }

  private def tree(dir: Path, conf: Configuration, depth: Int): Seq[Path] = {
    val destination = Destination.of(dir, conf)
    // Each target's own destination on S3: it aborts the uploads its dead merges' records name, then drops them.
    val here =
      if (destination.objectStore)
        Leftovers.targetsIn(destination.dataFs, dir).flatMap { name =>
          Destination.of(HiddenFiles.child(dir, name), conf).cleanLeftovers()
        }
      else Leftovers.cleanDirectory(destination.fs, destination.dataFs, dir)
    val folders =
      try destination.fs.listStatus(dir).filter(s => s.isDirectory && !s.getPath.getName.startsWith(".")).toSeq
      catch {
        case e: IOException =>
          log.warn(s"sparkmerge: could not look into $dir for files left by merges: ${FirstLine.of(e)}")
          Seq.empty
      }
    if (depth >= MaxDepth && folders.nonEmpty) {
      log.warn(s"sparkmerge: did not look below $dir, $MaxDepth folders deep: clean deeper folders on their own")
      here
    } else here ++ folders.flatMap(folder => tree(folder.getPath, conf, depth + 1))
  }
}
