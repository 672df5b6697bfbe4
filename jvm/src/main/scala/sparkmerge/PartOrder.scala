package sparkmerge

/**
 * The order parts go into the target: Spark's task number, then its file counter, both as numbers, so that
 * `part-100000` follows `part-99999` and a sorted DataFrame stays sorted. Both name forms Spark writes,
 * `part-00007-<job uuid>-c001.csv` and `part-00007-<job uuid>.c001.csv`, and Hadoop's `part-r-00007`, are
 * understood; any other name follows the parts, in natural order (digit runs compared as numbers).
 */
object PartOrder extends Ordering[String] {

  // The task number right after "part-"; the file counter is the last "-cNNN" or ".cNNN" before the extensions.
  private val SparkPart = """part-(?:[rm]-)?(\d+)(.*)""".r
  private val FileCounter = """.*[-.]c(\d+)(?:\.[A-Za-z0-9]+)*""".r

  /** A name's place, parsed once: sorting 10,000 parts compares keys 140,000 times. */
  final case class Key(task: Option[BigInt], counter: BigInt, name: String)

  def key(name: String): Key = name match {
    case SparkPart(task, rest) =>
      val counter = rest match {
        case FileCounter(c) => BigInt(c)
        case _              => BigInt(0)
      }
      Key(Some(BigInt(task)), counter, name)
    case _ => Key(None, BigInt(0), name)
  }

  override def compare(a: String, b: String): Int = KeyOrder.compare(key(a), key(b))

  object KeyOrder extends Ordering[Key] {
    override def compare(ka: Key, kb: Key): Int = (ka.task, kb.task) match {
      case (Some(ta), Some(tb)) if ta != tb               => ta.compare(tb)
      case (Some(_), Some(_)) if ka.counter != kb.counter => ka.counter.compare(kb.counter)
      case (Some(_), None)                                => -1
      case (None, Some(_))                                => 1
      case _                                              => NaturalOrder.compare(ka.name, kb.name)
    }
  }
}

/** Text with its digit runs compared as numbers: `file-2` before `file-10`. */
object NaturalOrder extends Ordering[String] {
  private val Chunk = """\d+|\D+""".r

  override def compare(a: String, b: String): Int = {
    val ca = Chunk.findAllIn(a).toVector
    val cb = Chunk.findAllIn(b).toVector
    ca.zip(cb)
      .iterator
      .map { case (x, y) => compareChunk(x, y) }
      .find(_ != 0)
      .getOrElse(if (ca.length != cb.length) ca.length.compare(cb.length) else a.compare(b))
  }

  private def compareChunk(x: String, y: String): Int =
    if (x.head.isDigit && y.head.isDigit) {
      val byValue = BigInt(x).compare(BigInt(y))
      if (byValue != 0) byValue else x.length.compare(y.length)
    } else x.compare(y)
}
