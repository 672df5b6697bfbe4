package sparkmerge.parts

/**
 * A part's place in the target, parsed once from its name: Spark's task number, then its file counter, both as
 * numbers, so that `part-100000` follows `part-99999` and a sorted DataFrame stays sorted. Both name forms Spark
 * writes, `part-00007-<job uuid>-c001.csv` and `part-00007-<job uuid>.c001.csv`, and Hadoop's `part-r-00007`,
 * are understood; any other name follows the parts, in [[NaturalOrder]].
 */
private[sparkmerge] final case class PartKey(task: Option[BigInt], counter: BigInt, name: String)

private[sparkmerge] object PartKey {

  // The task number right after "part-"; the file counter is the last "-cNNN" or ".cNNN" before the extensions.
  private val SparkPart = """part-(?:[rm]-)?(\d+)(.*)""".r
  private val FileCounter = """.*[-.]c(\d+)(?:\.[A-Za-z0-9]+)*""".r

  def of(name: String): PartKey = name match {
    case SparkPart(task, rest) =>
      val counter = rest match {
        case FileCounter(c) => BigInt(c)
        case _              => BigInt(0)
      }
      PartKey(Some(BigInt(task)), counter, name)
    case _ => PartKey(None, BigInt(0), name)
  }

  implicit val order: Ordering[PartKey] = new Ordering[PartKey] {
    override def compare(ka: PartKey, kb: PartKey): Int = (ka.task, kb.task) match {
      case (Some(ta), Some(tb)) if ta != tb               => ta.compare(tb)
      case (Some(_), Some(_)) if ka.counter != kb.counter => ka.counter.compare(kb.counter)
      case (Some(_), None)                                => -1
      case (None, Some(_))                                => 1
      case _                                              => NaturalOrder.compare(ka.name, kb.name)
    }
  }
}
