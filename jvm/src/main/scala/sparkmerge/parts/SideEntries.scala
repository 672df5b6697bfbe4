package sparkmerge.parts

/**
 * The entries a Spark or Hadoop write leaves beside its data, which are never part of the merged file:
 * `_SUCCESS`, `_committed_*`, `_started_*`, `_temporary`, `.spark-staging-*`, `.part-00000.crc`, and, as
 * Hadoop's own input formats do, anything else hidden behind a leading `_` or `.`.
 */
object SideEntries {
  def isSide(name: String): Boolean =
    name.startsWith("_") || name.startsWith(".") || name.endsWith(".crc")

  /** Hadoop's checksum file of the file `x` beside it: `.x.crc`. */
  def isChecksum(name: String): Boolean = name.startsWith(".") && name.endsWith(".crc")
}
