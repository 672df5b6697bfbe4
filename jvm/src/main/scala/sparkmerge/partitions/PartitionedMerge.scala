package sparkmerge.partitions

import java.io.IOException

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{
  FirstLine,
  InvalidOptionException,
  MergeOptions,
  MergeProgress,
  MergeResult,
  Merger,
  PathArgument,
  TargetExistsException
}
import sparkmerge.parts.SideEntries
import sparkmerge.publish.Destination

/**
 * One whole file per partition value out of a directory a Spark job wrote with `partitionBy`:
 *
 * {{{
 * PartitionedMerge.merge("jobs/recs", "exports/{country}/recs.csv", MergeOptions(header = true), conf)
 * }}}
 *
 * Each file is what [[Merger]] makes of one leaf directory (order, header once, atomic publish). Without
 * overwrite, every target is checked before any is written, so that a refusal writes nothing. A failure half way
 * leaves the files already published, each whole, and the rest not written; the sources of the files not
 * published are kept whatever `deleteSource` says.
 */
object PartitionedMerge {
  private val log = LoggerFactory.getLogger(getClass)

  def merge(
      source: String,
      targetTemplate: String,
      options: MergeOptions = MergeOptions(),
      conf: Configuration = new Configuration(),
      progress: MergeProgress = new MergeProgress()
  ): Seq[MergeResult] = {
    val root = PathArgument.parse(source, "source")
    val fs = root.getFileSystem(conf)
    val template = PathTemplate.parse(targetTemplate)
    val leaves = PartitionDirectories.list(fs, fs.makeQualified(root))
    val columns = leaves.head.columns
    if (template.names.toSet != columns.toSet)
      throw new InvalidOptionException(
        s"target $targetTemplate names {${template.names.mkString("}, {")}}, but the partitions of $source are " +
          s"${columns.mkString(", ")}: name each of them once, for instance {${columns.mkString("}/{")}}"
      )
    val targets = leaves.map(leaf => leaf -> template.fill(leaf.values.toMap))
    if (!options.overwrite) refuseExisting(targets.map(_._2), conf)
    val results = targets.map { case (leaf, target) =>
      Merger.merge(leaf.dir.toString, target, options, conf, progress)
    }
    if (options.deleteSource) removeSideFiles(fs, root)
    results
  }

  private def refuseExisting(targets: Seq[String], conf: Configuration): Unit = {
    val existing = targets.filter(t => Destination.of(PathArgument.parse(t, "target"), conf).exists)
    existing.headOption.foreach { first =>
      throw new TargetExistsException(
        s"target $first already exists${if (existing.size > 1) s", and ${existing.size - 1} more" else ""}: " +
          "nothing was written; allow overwriting them, or choose another path"
      )
    }
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
      SideEntries.isSide(entry.getPath.getName) || (entry.isDirectory && onlySideEntries(fs, entry.getPath))
    }
}
