package sparkmerge.sql

import java.util.{Collections, LinkedHashMap => JLinkedHashMap, Map => JMap}

import sparkmerge.MergeResults

/**
 * The results of data source writes, kept in the driver under the id the writer gave, until the client reads them
 * back: a DataFrame write returns nothing to a Spark Connect client, and its result has to reach it.
 * Bounded: the oldest results go first, so that clients that never read theirs cannot fill the driver.
 */
private[sparkmerge] object ResultBoard {

  /** Far more than the writes a driver runs at once; each entry is a few hundred bytes. */
  val Capacity: Int = 4096

  private val results: JMap[String, MergeResults] = Collections.synchronizedMap(
    new JLinkedHashMap[String, MergeResults](64, 0.75f, false) {
      override def removeEldestEntry(eldest: JMap.Entry[String, MergeResults]): Boolean = size > Capacity
    }
  )

  def post(id: String, written: MergeResults): Unit = results.put(id, written)

  def get(id: String): Option[MergeResults] = Option(results.get(id))
}
