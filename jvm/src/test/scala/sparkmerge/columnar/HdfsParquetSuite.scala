package sparkmerge
package columnar

import java.nio.file.Files

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Parquet parts on a real HDFS: the parts and the new footer concatenated, no byte of theirs copied. */
class HdfsParquetSuite extends AnyFunSuite with Matchers with MiniHdfs with LocalFiles with LocalSpark {

  private def merged(source: String, target: String, options: MergeOptions): MergeResult =
    Calls.merge(s"${hdfs.getUri}$source", s"${hdfs.getUri}$target", options, hdfsConf)

  test("a merge that may consume the parts concatenates them with the footer; Spark reads the rows in order") {
    val df = spark.range(0, 40000, 1, 4).selectExpr("id", "CAST(id % 3 AS STRING) AS k")
    df.write.parquet(path("local"))
    val parts = listing("local").filter(_.endsWith(".parquet"))
    parts.foreach(name => hdfsWriteBytes(s"/pq/src/$name", readBytes(s"local/$name")))
    hdfsWrite("/pq/src/_SUCCESS", "")

    val result = merged("/pq/src", "/pq/one.parquet", MergeOptions(deleteSource = true))

    result.strategy shouldBe "concat"
    result.files shouldBe 4
    val bytes = parts.map(name => readBytes(s"local/$name").length.toLong).sum
    hdfs.getFileStatus(new Path("/pq/one.parquet")).getLen should be > bytes // the parts whole, then the footer
    hdfs.exists(new Path("/pq/src")) shouldBe false
    hdfsListing("/pq") shouldBe Seq("one.parquet")
    val back = dir.resolve("back.parquet")
    Files.write(back, hdfs.open(new Path("/pq/one.parquet")).readAllBytes())
    spark.read.parquet(back.toString).collect().toSeq shouldBe df.collect().toSeq
  }

  test("a merge that keeps the parts copies them, and leaves no footer file behind") {
    val df = spark.range(0, 5000, 1, 2).selectExpr("id")
    df.write.parquet(path("local"))
    val parts = listing("local").filter(_.endsWith(".parquet"))
    parts.foreach(name => hdfsWriteBytes(s"/kept/src/$name", readBytes(s"local/$name")))

    val result = merged("/kept/src", "/kept/one.parquet", MergeOptions())

    result.strategy shouldBe "copy"
    hdfsListing("/kept") shouldBe Seq("one.parquet", "src")
    hdfsListing("/kept/src") shouldBe parts.sorted
    val back = dir.resolve("back.parquet")
    Files.write(back, hdfs.open(new Path("/kept/one.parquet")).readAllBytes())
    spark.read.parquet(back.toString).collect().toSeq shouldBe df.collect().toSeq
  }

  test("the footer file a killed merge left among the parts goes with the next merge of them") {
    spark.range(0, 3000, 1, 3).selectExpr("id").write.parquet(path("killed"))
    val parts = listing("killed").filter(_.endsWith(".parquet"))
    parts.foreach(name => hdfsWriteBytes(s"/left/src/$name", readBytes(s"killed/$name")))
    // As a merge of a process that has ended (a pid above the kernel's largest) names its footer.
    val stamp = s"${System.currentTimeMillis() - 1000}-${4194304L + 17}-${publish.Owner.self.host}-x1"
    hdfsWrite(s"/left/src/.one.parquet.sparkmerge-$stamp.footer", "a footer of a merge that was killed")

    merged("/left/src", "/left/one.parquet", MergeOptions()).strategy shouldBe "copy"

    hdfsListing("/left/src") shouldBe parts.sorted
  }

  test("Parquet parts on one file system and a target on another are refused as a layout, nothing written") {
    spark.range(0, 100, 1, 2).selectExpr("id").write.parquet(path("here"))
    val refused = intercept[InvalidLayoutException] {
      Calls.merge(s"file://${path("here")}", s"${hdfs.getUri}/there/one.parquet", MergeOptions(), hdfsConf)
    }
    refused.getMessage should include("on another")
    hdfs.exists(new Path("/there")) shouldBe false
  }
}
