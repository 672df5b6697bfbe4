package sparkmerge.partitions

import java.util.Locale

/**
 * Names for the columns the writer adds while Spark writes (the rows' order, the file number): never one of the
 * DataFrame's own, which `withColumn` would replace and `drop` take away, its values gone with it. Compared as
 * Spark resolves names by default, case aside.
 */
private[sparkmerge] object InternalColumns {
  def fresh(taken: Seq[String], base: String): String = {
    val lower = taken.map(_.toLowerCase(Locale.ROOT)).toSet
    Iterator.from(0).map(i => if (i == 0) base else s"${base}_$i").find(n => !lower(n.toLowerCase(Locale.ROOT))).get
  }
}
