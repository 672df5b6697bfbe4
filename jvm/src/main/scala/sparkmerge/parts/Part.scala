package sparkmerge.parts

import org.apache.hadoop.fs.Path

/** A data file of the source directory: one task's output, as the listing found it. */
final case class Part(path: Path, length: Long, blockSize: Long = 0L) {
  def name: String = path.getName
}
