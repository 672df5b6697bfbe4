package sparkmerge.parts

import org.apache.hadoop.fs.Path

/**
 * A data file of the source directory: one task's output, as the listing found it.
 *
 * @param checksum the checksum file Hadoop's checksummed file system wrote beside it, if there is one
 */
private[sparkmerge] final case class Part(
    path: Path,
    length: Long,
    blockSize: Long = 0L,
    checksum: Option[Path] = None
) {
  def name: String = path.getName
}
