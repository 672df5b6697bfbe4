package sparkmerge.publish

import java.nio.charset.StandardCharsets.UTF_8
import java.util.concurrent.ThreadLocalRandom
import java.util.zip.CRC32

import org.apache.hadoop.fs.Path

import sparkmerge.parts.{ChildPaths, SideEntries}

/**
 * The names of the files a merge works in before the target appears: hidden (a leading `.`, which Hadoop's and
 * Spark's readers skip), beside the target so that publishing is a rename within one directory, and named so
 * that a later merge can tell whose they are and how old, should the merge that made them die:
 *
 * `.<target name>.sparkmerge-<epoch millis>-<pid>-<host hash>-<random>.<suffix>`
 *
 * The suffix is one of a closed list, each of one entry type ([[Kind]]): a name that merely looks like ours, with
 * another suffix or of another type, is never taken for ours. A target name too long to fit in such a name (file
 * systems allow 255 bytes) is cut and ends in a hash of the whole name, so that any target that fits can be written.
 */
private[sparkmerge] object HiddenFiles {

  /** What a merge makes beside its target: the suffix of its name and whether it is a directory. */
  sealed abstract class Kind(val suffix: String, val directory: Boolean)

  object Kind {

    /** The merged bytes, renamed to the target when whole. */
    case object Copy extends Kind("tmp", directory = false)

    /** The DataFrame writer's directory: Spark's parts, the rendered header, the file copied while Spark writes. */
    case object Work extends Kind("parts", directory = true)

    /** An empty file moved where the merged one will go, to learn that the move is allowed. */
    case object Probe extends Kind("probe", directory = false)

    /** The id of an S3 multipart upload while it is open. */
    case object Upload extends Kind("upload", directory = false)

    /** A set merge's claim to the files of its template, while it publishes them ([[sparkmerge.partitions.SetClaim]]). */
    case object Claim extends Kind("claim", directory = false)

    /** The footer that joins Parquet or ORC parts into one file, the merge's last piece ([[sparkmerge.columnar.ColumnarPieces]]). */
    case object Footer extends Kind("footer", directory = false)

    /** The byte-order mark a merge asked for with `bom` puts first ([[sparkmerge.plan.MarkPieces]]). */
    case object Mark extends Kind("mark", directory = false)

    /** An object the store composes the target from: bytes this JVM gathered, or a composite of a tree's level. */
    case object Piece extends Kind("piece", directory = false)

    val all: Seq[Kind] = Seq(Copy, Work, Probe, Upload, Claim, Footer, Mark, Piece)

    def of(suffix: String): Option[Kind] = all.find(_.suffix == suffix)
  }

  /** The only names a [[Kind.Work]] directory holds at its top: what the writer puts there. */
  val WorkEntries: Set[String] = Set("data", "header", "lead", "merged", SideEntries.checksumOf("merged"))

  private val Marker = ".sparkmerge-"
  private val Stamp = """(\d{13})-(\d{1,10})-([0-9a-f]{8})-([0-9a-z]{1,8})\.([a-z]+)""".r

  /**
   * Target names of more bytes than this are cut in hidden names: the longest stamp, a checksum file's `.` and
   * `.crc` around the hidden name, and the rest still fit in 255 bytes.
   */
  private val LongestKept = 179
  private val CutTo = LongestKept - 9 // "~" and 8 hex digits of the hash

  /** What a hidden name says of the merge that made it. */
  final case class Hidden(path: Path, millis: Long, owner: Owner, kind: Kind) {
    def suffix: String = kind.suffix
  }

  def beside(target: Path, kind: Kind): Path = {
    val random = java.lang.Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36)
    val stamp = s"${System.currentTimeMillis()}-${Owner.self.tag}-$random"
    child(target.getParent, s".${shortName(target.getName)}$Marker$stamp.${kind.suffix}")
  }

  /** The hidden entry `name` of the target named `targetName`, if its name is one of ours. */
  def parse(dir: Path, targetName: String, name: String): Option[Hidden] = {
    val prefix = s".${shortName(targetName)}$Marker"
    if (!name.startsWith(prefix)) None
    else
      name.substring(prefix.length) match {
        case Stamp(millis, pid, host, _, suffix) =>
          Kind.of(suffix).map(kind => Hidden(child(dir, name), millis.toLong, Owner(pid.toLong, host), kind))
        case _ => None
      }
  }

  /** The target name (cut, if it was long) that `name` is a hidden entry of, if it is one (for a whole directory). */
  def targetOf(name: String): Option[String] = {
    val at = name.lastIndexOf(Marker)
    if (!name.startsWith(".") || at <= 1) None
    else Some(name.substring(1, at)).filter(target => parse(new Path("/"), target, name).isDefined)
  }

  /** `name` itself, or cut on a character and ended with a hash of all of it, if it is too long for a hidden name. */
  def shortName(name: String): String =
    if (name.getBytes(UTF_8).length <= LongestKept) name
    else {
      val crc = new CRC32
      crc.update(name.getBytes(UTF_8))
      var bytes = 0
      val kept = name.codePoints().toArray.iterator.takeWhile { c =>
        bytes += new String(Character.toChars(c)).getBytes(UTF_8).length
        bytes <= CutTo
      }
      val head = kept.map(c => new String(Character.toChars(c))).mkString
      f"$head~${crc.getValue}%08x"
    }

  def child(dir: Path, name: String): Path = ChildPaths.of(dir, name)
}
