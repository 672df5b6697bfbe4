package sparkmerge.partitions

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, MergeCall, MergeProgress, MergeResult, PathArgument, Targets}
import sparkmerge.parts.SideEntries
import sparkmerge.publish.Destination

/**
 * One whole file per partition value out of a directory a Spark job wrote with `partitionBy`:
 *
 * {{{
 * SparkMerge.merge(MergeCall("jobs/recs", "exports/{country}/recs.csv", MergeOptions(header = true)), conf)
 * }}}
 *
 * Each file is what [[sparkmerge.Merger]] makes of one leaf directory (order, header once, atomic publish); the
 * files merge a few at a time, or as a Spark job for many ([[ManyMerges]]), with one progress for the set.
 * Without overwrite, every target is checked before any is written, so that a refusal writes nothing. A failure
 * half way leaves the files published, each whole; the sources of the files not published are kept whatever
 * `deleteSource` says.
 */
private[sparkmerge] object PartitionedMerge {
  private val log = LoggerFactory.getLogger(getClass)

  /** The merges of `call` into the files of the template `many`, in the order of the values. */
  def merge(call: MergeCall, many: Targets.Template, conf: Configuration, progress: MergeProgress): Seq[MergeResult] = {
    val (root, options, template, targetTemplate) = (call.source, call.options, many.template, many.text)
    val source = root.toString
    val fs = root.getFileSystem(conf)
    val leaves = PartitionDirectories.list(fs, fs.makeQualified(root))
    template.checkNames(leaves.head.columns, s"the partitions of $source")
    val targets = template.fillAll(leaves.map(_.values.toMap))
    val merges = leaves.zip(targets).map { case (leaf, target) => DirectoryMerge(leaf.dir.toString, target, options) }
    val policy = if (options.overwrite) ExistingTargets.Replace else ExistingTargets.Refuse
    progress.start(targetTemplate, leaves.map(_.files).sum, leaves.map(_.bytes).sum)
    val anchor = Destination.of(PathArgument.parse(template.anchor, "target"), conf)
    val results = NewFolders.around(anchor.fs, anchor.target.getParent) { folders =>
      folders.beforeFiles(targets.map(t => anchor.fs.makeQualified(PathArgument.parse(t, "target"))))
      ExistingTargets.merge(merges, policy, conf, anchor, targetTemplate) {
        ManyMerges.run(_, conf, progress, ManyMerges.activeSpark())
      }
    }
    progress.finish()
    if (options.deleteSource) removeSideFiles(fs, root)
    results
  }

  /**
   * What the write left beside the partition directories (`_SUCCESS`, emptied parents of nested leaves), once
   * every leaf has gone with its merge; a leaf that could not be deleted keeps the whole source.
   */
  private def removeSideFiles(fs: FileSystem, root: Path): Unit =
    try { if (onlySideEntries(fs, root)) fs.delete(root, true) }
    catch {
      case e: IOException =>
        log.warn(s"sparkmerge: merged every partition, but did not delete $root: ${FirstLine.of(e)}")
    }

  private def onlySideEntries(fs: FileSystem, dir: Path): Boolean =
    fs.listStatus(dir).forall { entry =>
      val name = entry.getPath.getName
      if (entry.isDirectory) SideEntries.isSideDirectory(name) || onlySideEntries(fs, entry.getPath)
      else SideEntries.isSide(name)
    }
}
