package sparkmerge.parts

/**
 * The entries a Spark or Hadoop write leaves beside its data, which are never part of the merged file:
 * `_SUCCESS`, `_committed_*`, `_started_*`, `_temporary`, `.spark-staging-*`, `.part-00000.crc`.
 */
private[sparkmerge] object SideEntries {

  /** A file that is no data: as Hadoop's own input formats have it, anything hidden behind `_` or `.`, and `.crc`. */
  def isSide(name: String): Boolean =
    name.startsWith("_") || name.startsWith(".") || name.endsWith(".crc")

  /**
   * A directory that is no partition, by the rule Spark's own file index reads a tree with: a name that starts
   * with `.` is hidden, one that starts with `_` too unless it has a `=` in it (`_v=1` is a partition of the
   * column `_v`). A file's rules are not a directory's: `v=x.crc/` is a partition.
   */
  def isSideDirectory(name: String): Boolean =
    name.startsWith(".") || (name.startsWith("_") && !name.contains("="))

  /** The name of Hadoop's checksum file of the file `name` beside it: `.x.crc` for `x`. */
  def checksumOf(name: String): String = s".$name.crc"

  /** A name Hadoop's checksum file of a file beside it could have. */
  def isChecksum(name: String): Boolean = name.startsWith(".") && name.endsWith(".crc")
}
