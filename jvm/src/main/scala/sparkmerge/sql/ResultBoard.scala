package sparkmerge.sql

import java.util.{Collections, LinkedHashMap => JLinkedHashMap, Map => JMap}

import sparkmerge.MergeResult

/**
 * The results of data source writes (one per file written), kept in the driver under the id the writer gave, until the client reads
 * them back: a DataFrame write returns nothing to a Spark Connect client, and its result has to reach it.
 * Bounded: the oldest results go first, so that clients that never read theirs cannot fill the driver.
 */
object ResultBoard {

  /** Far more than the writes a driver runs at once; each entry is a few hundred bytes. */
  val Capacity: Int = 4096

  private val results: JMap[String, Seq[MergeResult]] = Collections.synchronizedMap(
    new JLinkedHashMap[String, Seq[MergeResult]](64, 0.75f, false) {
      override def removeEldestEntry(eldest: JMap.Entry[String, Seq[MergeResult]]): Boolean = size > Capacity
    }
  )

  def post(id: String, written: Seq[MergeResult]): Unit = results.put(id, written)

  def get(id: String): Option[Seq[MergeResult]] = Option(results.get(id))
}
