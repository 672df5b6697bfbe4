package sparkmerge.concat

import org.apache.hadoop.fs.FileSystem

import sparkmerge.parts.Part

/**
 * Whether HDFS concat can build the target, checked before anything changes. HDFS itself (FSDirConcatOp)
 * refuses sources outside the target's directory, empty sources, sources with a larger preferred block size
 * than the target's, a different erasure-coding policy, snapshots and encryption zones; the plan is laid out to
 * meet the first three, and a refusal of the others falls back to the copy.
 *
 * Other file systems that answer yes to `fs.capability.paths.concat` do something else: the raw local file
 * system overwrites the target and keeps the sources, GCS composes and keeps them. Only `hdfs://` is trusted.
 */
private[sparkmerge] object ConcatSupport {

  val Capability = "fs.capability.paths.concat"

  /** Whether concat on `fs` is HDFS's: the only one that joins files as the merge needs. */
  def trusted(fs: FileSystem): Boolean = fs.getUri.getScheme == "hdfs"

  /**
   * Why the parts cannot be concatenated into the target, or None when they can.
   *
   * @param consumable the parts may disappear into the target (delete source, or the writer's own parts)
   * @param whole      every part goes into the target whole: no header line to drop
   */
  def whyNot(
      sourceFs: FileSystem,
      targetFs: FileSystem,
      parts: Seq[Part],
      consumable: Boolean,
      whole: Boolean
  ): Option[String] = {
    val data = parts.filter(_.length > 0)
    lazy val first = data.head
    if (!consumable) Some("the sources are kept (no delete source), and concat would consume them")
    else if (sourceFs.getUri != targetFs.getUri) Some("the source and the target are on different file systems")
    else if (!trusted(sourceFs))
      Some(s"concat is trusted on hdfs only, not on ${sourceFs.getUri.getScheme}")
    else if (!whole)
      Some(
        "the parts carry what only a copy can drop or rewrite: header lines, byte-order marks, XML root tags or " +
          "Avro sync markers"
      )
    else if (data.isEmpty) Some("no part has data")
    else if (data.map(_.path.getParent).distinct.size > 1) Some("the parts are not in one directory")
    else if (!sourceFs.hasPathCapability(first.path.getParent, Capability))
      Some(s"the file system offers no concat at ${first.path.getParent}")
    else
      data.find(_.blockSize > first.blockSize).map { larger =>
        s"${larger.path} has a larger block size (${larger.blockSize}) than ${first.path} (${first.blockSize})"
      }
  }
}
