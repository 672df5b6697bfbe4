package sparkmerge.publish

import java.util.UUID

import org.apache.hadoop.fs.Path

/**
 * The names of the files a merge works in before the target appears: hidden (a leading `.`, which Hadoop's and
 * Spark's readers skip), beside the target so that publishing is a rename within one directory, and unique to
 * one merge.
 */
object HiddenFiles {
  def beside(target: Path, suffix: String): Path =
    new Path(target.getParent, s".${target.getName}.sparkmerge-${UUID.randomUUID()}.$suffix")
}
