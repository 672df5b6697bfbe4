package sparkmerge.publish

import java.util.concurrent.ThreadLocalRandom

import org.apache.hadoop.fs.Path

/**
 * The names of the files a merge works in before the target appears: hidden (a leading `.`, which Hadoop's and
 * Spark's readers skip), beside the target so that publishing is a rename within one directory, and named so
 * that a later merge can tell whose they are and how old, should the merge that made them die:
 *
 * `.<target name>.sparkmerge-<epoch millis>-<pid>-<host hash>-<random>.<suffix>`
 */
object HiddenFiles {

  private val Marker = ".sparkmerge-"
  private val Stamp = """(\d+)-(\d+)-([0-9a-f]{8})-([0-9a-z]+)\.([a-z]+)""".r

  /** What a hidden name says of the merge that made it. */
  final case class Hidden(path: Path, millis: Long, owner: Owner, suffix: String)

  def beside(target: Path, suffix: String): Path = {
    val random = java.lang.Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36)
    child(target.getParent, s".${target.getName}$Marker${System.currentTimeMillis()}-${Owner.self.tag}-$random.$suffix")
  }

  /** The hidden file `name` of the target named `targetName`, if it is one. */
  def parse(dir: Path, targetName: String, name: String): Option[Hidden] = {
    val prefix = s".$targetName$Marker"
    if (!name.startsWith(prefix)) None
    else
      name.substring(prefix.length) match {
        case Stamp(millis, pid, host, _, suffix) =>
          Some(Hidden(child(dir, name), millis.toLong, Owner(pid.toLong, host), suffix))
        case _ => None
      }
  }

  /** Whether `name` is a hidden file of some target (for cleaning a whole directory). */
  def targetOf(name: String): Option[String] = {
    val at = name.lastIndexOf(Marker)
    if (!name.startsWith(".") || at <= 1) None
    else Some(name.substring(1, at)).filter(target => parse(new Path("/"), target, name).isDefined)
  }

  /**
   * `dir/name`, with `name` taken as a file name and never parsed as a URI: `new Path(dir, "a:b")` would read
   * `a` as a scheme, and a colon is legal in a file name.
   */
  def child(dir: Path, name: String): Path = {
    val uri = dir.toUri
    new Path(uri.getScheme, uri.getAuthority, s"${uri.getPath.stripSuffix("/")}/$name")
  }
}
