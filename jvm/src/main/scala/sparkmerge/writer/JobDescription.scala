package sparkmerge.writer

import org.apache.spark.SparkContext

/**
 * Names the Spark jobs sparkmerge runs besides the caller's write ("sparkmerge: ..."), in the UI and the status
 * store, so that neither the user nor `make bench-partitions` takes them for the write itself.
 */
private[sparkmerge] object JobDescription {
  private val Key = "spark.job.description"

  /** `body`, whose jobs this thread starts are described as `sparkmerge: <what>`. */
  def around[T](sc: SparkContext, what: String)(body: => T): T = {
    val before = sc.getLocalProperty(Key)
    sc.setLocalProperty(Key, s"sparkmerge: $what")
    try body
    finally sc.setLocalProperty(Key, before)
  }
}
