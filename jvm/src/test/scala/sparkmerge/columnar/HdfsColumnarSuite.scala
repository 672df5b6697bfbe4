package sparkmerge
package columnar

import java.nio.file.Files

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Parquet and ORC parts on a real HDFS: the parts and the new footer concatenated, no byte of theirs copied. */
class HdfsColumnarSuite extends AnyFunSuite with Matchers with MiniHdfs with LocalFiles with LocalSpark {

  private def merged(source: String, target: String, options: MergeOptions): MergeResult =
    Calls.merge(s"${hdfs.getUri}$source", s"${hdfs.getUri}$target", options, hdfsConf)

  for (format <- Seq("parquet", "orc")) {
    test(s"$format: a merge that may consume the parts concatenates them with the footer; Spark reads the rows") {
      val df = spark.range(0, 40000, 1, 4).selectExpr("id", "CAST(id % 3 AS STRING) AS k")
      df.write.format(format).save(path("local"))
      val parts = listing("local").filter(_.endsWith(s".$format"))
      parts.foreach(name => hdfsWriteBytes(s"/$format/src/$name", readBytes(s"local/$name")))
      hdfsWrite(s"/$format/src/_SUCCESS", "")

      val result = merged(s"/$format/src", s"/$format/one.$format", MergeOptions(deleteSource = true))

      result.strategy shouldBe "concat"
      result.files shouldBe 4
      val bytes = parts.map(name => readBytes(s"local/$name").length.toLong).sum
      hdfs.getFileStatus(new Path(s"/$format/one.$format")).getLen should be > bytes // the parts whole, the footer
      hdfs.exists(new Path(s"/$format/src")) shouldBe false
      hdfsListing(s"/$format") shouldBe Seq(s"one.$format")
      val back = dir.resolve(s"back.$format")
      Files.write(back, hdfs.open(new Path(s"/$format/one.$format")).readAllBytes())
      spark.read.format(format).load(back.toString).collect().toSeq shouldBe df.collect().toSeq
    }

    test(s"$format: a merge that keeps the parts copies them, and leaves no footer file behind") {
      val df = spark.range(0, 5000, 1, 2).selectExpr("id")
      df.write.format(format).save(path("local"))
      val parts = listing("local").filter(_.endsWith(s".$format"))
      parts.foreach(name => hdfsWriteBytes(s"/kept-$format/src/$name", readBytes(s"local/$name")))

      val result = merged(s"/kept-$format/src", s"/kept-$format/one.$format", MergeOptions())

      result.strategy shouldBe "copy"
      hdfsListing(s"/kept-$format") shouldBe Seq(s"one.$format", "src")
      hdfsListing(s"/kept-$format/src") shouldBe parts.sorted
      val back = dir.resolve(s"back.$format")
      Files.write(back, hdfs.open(new Path(s"/kept-$format/one.$format")).readAllBytes())
      spark.read.format(format).load(back.toString).collect().toSeq shouldBe df.collect().toSeq
    }
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
