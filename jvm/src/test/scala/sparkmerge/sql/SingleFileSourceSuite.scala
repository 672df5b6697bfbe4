package sparkmerge
package sql

import java.nio.file.Files
import java.util.UUID

import org.apache.spark.sql.{DataFrame, SaveMode}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class SingleFileSourceSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  private lazy val warehouse = Files.createTempDirectory("sparkmerge-warehouse")
  override def sessionConf: Map[String, String] = Map("spark.sql.warehouse.dir" -> warehouse.toUri.toString)

  /** Everything under the session's warehouse, folders too. */
  private def warehouseTree: Seq[String] =
    Files.walk(warehouse).toArray.map(p => warehouse.relativize(p.asInstanceOf[java.nio.file.Path]).toString).toSeq

  /** Sorted rows in 6 partitions, a quoted value among them: order and quoting show in the bytes. */
  private def rows: DataFrame =
    spark.range(0, 3000, 1, 6).selectExpr("id", "concat('user ', id, CASE WHEN id = 7 THEN ';x' ELSE '' END) AS name")

  test("format('sparkmerge') writes the file write_single writes, byte for byte, with the options passed on") {
    val options = Map("header" -> "true", "sep" -> ";")
    rows.write.format("sparkmerge").options(options).save(path("source.csv"))
    Calls.write(rows, path("writer.csv"), "csv", "errorifexists", options)

    readBytes("source.csv") shouldBe readBytes("writer.csv")
    val lines = read("source.csv").split("\n").toSeq
    lines.head shouldBe "id;name"
    lines.tail.map(_.takeWhile(_ != ';').toInt) shouldBe (0 until 3000)
    lines(8) shouldBe "7;\"user 7;x\""
  }

  test("the inner format and its compression are options; the path is the file") {
    rows.write.format("sparkmerge").option("format", "json").option("compression", "gzip").save(path("out.json.gz"))

    val lines = decoded(format.Codec.Gzip, "out.json.gz").split("\n").toSeq
    lines should have length 3000
    lines.head shouldBe """{"id":0,"name":"user 0"}"""
  }

  test("modes: errorifexists refuses, ignore leaves the file, overwrite replaces it, append is refused") {
    write("out.csv", "old\n")
    val error = the[TargetExistsException] thrownBy rows.write.format("sparkmerge").save(path("out.csv"))
    error.getMessage should include(path("out.csv"))
    rows.write.format("sparkmerge").mode(SaveMode.Ignore).save(path("out.csv"))
    read("out.csv") shouldBe "old\n"

    val append = the[InvalidOptionException] thrownBy
      rows.write.format("sparkmerge").mode(SaveMode.Append).save(path("out.csv"))
    append.getMessage should include("mode append cannot add to the single file")
    read("out.csv") shouldBe "old\n"

    rows.write.format("sparkmerge").mode(SaveMode.Overwrite).save(path("out.csv"))
    read("out.csv").split("\n") should have length 3000
    listing() shouldBe Seq("out.csv")
  }

  test("option saveMode names the mode in write_single's words, checked as write_single checks it") {
    write("out.csv", "old\n")
    rows.write.format("sparkmerge").option("saveMode", "ignore").save(path("out.csv"))
    read("out.csv") shouldBe "old\n"
    val unknown = the[InvalidOptionException] thrownBy
      rows.write.format("sparkmerge").option("saveMode", "upsert").save(path("out.csv"))
    unknown.getMessage should include("not 'upsert'")
    rows.write.format("sparkmerge").option("SAVEMODE", "overwrite").save(path("out.csv"))
    read("out.csv").split("\n") should have length 3000
    listing() shouldBe Seq("out.csv")
  }

  test("a write's result is read back by its id, as one row") {
    val id = UUID.randomUUID().toString
    rows.write.format("sparkmerge").option("result", id).option("header", "true").save(path("out.csv"))

    val row = spark.read.format("sparkmerge").option("result", id).load().collect().toSeq
    row should have length 1
    row.head.getAs[String]("target") should endWith("out.csv")
    row.head.getAs[Int]("files") shouldBe 6
    row.head.getAs[Long]("bytes") shouldBe readBytes("out.csv").length.toLong
    row.head.getAs[String]("strategy") shouldBe "copy"
    read("out.csv") should not include "result"
  }

  test("reading back needs the id of a write this driver ran") {
    val none = the[InvalidOptionException] thrownBy spark.read.format("sparkmerge").load()
    none.getMessage should include(".option('result'")
    val unknown = the[InvalidOptionException] thrownBy
      spark.read.format("sparkmerge").option("result", "no-such-id").load()
    unknown.getMessage should include("no sparkmerge result 'no-such-id'")
  }

  test("a write without a path is refused with the fix") {
    val error = the[InvalidOptionException] thrownBy rows.write.format("sparkmerge").save()
    error.getMessage should include(".save('exports/out.csv')")
  }

  test("saveAsTable and CREATE TABLE AS SELECT are refused before anything is written or registered") {
    val before = warehouseTree
    val managed = the[InvalidOptionException] thrownBy
      rows.write.format("sparkmerge").option("format", "csv").saveAsTable("t")
    managed.getMessage should include("CREATE TABLE spark_catalog.default.t USING csv LOCATION")
    managed.getMessage.linesIterator.size shouldBe 1
    spark.catalog.tableExists("t") shouldBe false

    val external = the[InvalidOptionException] thrownBy
      rows.write.format("sparkmerge").option("path", path("t")).saveAsTable("e")
    external.getMessage should include(".save('<path>/file.csv')")
    spark.catalog.tableExists("e") shouldBe false
    listing() shouldBe empty

    val sql = the[InvalidOptionException] thrownBy
      spark.sql("CREATE TABLE s USING sparkmerge OPTIONS (format 'json') AS SELECT 1 AS id")
    sql.getMessage should include("USING json")
    spark.catalog.tableExists("s") shouldBe false
    warehouseTree shouldBe before
  }
}
