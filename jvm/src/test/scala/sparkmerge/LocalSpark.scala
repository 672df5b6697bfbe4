package sparkmerge

import org.apache.spark.sql.SparkSession
import org.scalatest.{BeforeAndAfterAll, Suite}

/** One local Spark session for a suite, with this build's classes (and its data source) on the class path. */
trait LocalSpark extends BeforeAndAfterAll { this: Suite =>

  /** Settings of the suite's session beyond the local defaults. */
  def sessionConf: Map[String, String] = Map.empty

  private var session: SparkSession = _
  def spark: SparkSession = session

  override def beforeAll(): Unit = {
    super.beforeAll()
    val builder = SparkSession
      .builder()
      .master("local[2]")
      .appName(suiteName)
      .config("spark.ui.enabled", "false")
      .config("spark.sql.shuffle.partitions", "4")
    session = sessionConf.foldLeft(builder) { case (b, (key, value)) => b.config(key, value) }.getOrCreate()
  }

  override def afterAll(): Unit = {
    try if (session != null) session.stop()
    finally super.afterAll()
  }
}
