package sparkmerge.partitions

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.MergeFailedException
import sparkmerge.parts.SideEntries

/**
 * Every byte Spark wrote is in a file that will be merged: the files under a partitioned write's directory,
 * counted without the rules that found its leaves (only checksum files and the write's own `_SUCCESS` and the
 * like at the top are left out), add up to the leaves'. A rule that skipped a value's directory would otherwise
 * lose its rows while the call succeeds.
 */
private[sparkmerge] object WrittenData {
  def check(fs: FileSystem, dataDir: Path, leaves: Seq[PartitionDirectories.Leaf], target: String): Unit = {
    val top = dataDir.toUri.getPath.stripSuffix("/")
    var files = 0L
    var bytes = 0L
    val all = fs.listFiles(dataDir, true)
    while (all.hasNext) {
      val file = all.next()
      val relative = file.getPath.toUri.getPath.stripPrefix(top + "/")
      val first = relative.takeWhile(_ != '/')
      val writersOwn = relative == first && first.startsWith("_") && !first.contains("=")
      if (!SideEntries.isChecksum(file.getPath.getName) && !writersOwn) {
        files += 1
        bytes += file.getLen
      }
    }
    val (leafFiles, leafBytes) = (leaves.map(_.files.toLong).sum, leaves.map(_.bytes).sum)
    if (bytes != leafBytes)
      throw new MergeFailedException(
        s"Spark wrote $bytes bytes in $files files for $target, but the partition directories found in $dataDir " +
          s"hold $leafBytes bytes in $leafFiles files: nothing was published; report this with the partition values"
      )
  }
}
