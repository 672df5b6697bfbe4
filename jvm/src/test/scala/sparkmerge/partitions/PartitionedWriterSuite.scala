package sparkmerge
package partitions

import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class PartitionedWriterSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  /**
   * 3,000 sorted rows in 6 Spark partitions over four countries, each country in every partition: values that
   * Spark escapes in a path (a slash, a quote), and a null.
   */
  private def rows: DataFrame =
    spark
      .range(0, 3000, 1, 6)
      .selectExpr(
        "id",
        "CASE id % 4 WHEN 0 THEN 'FR' WHEN 1 THEN 'Côte d\\'Ivoire' WHEN 2 THEN 'a/b' END AS country",
        "concat('user ', id) AS name"
      )

  private val header = Map("header" -> "true")

  private def write(
      df: DataFrame,
      template: String,
      mode: String = "errorifexists",
      options: Map[String, String] = header,
      by: Seq[String] = Seq("country")
  ) =
    Calls.writeMany(df, path(template), "csv", mode, options, by)

  test("one file per value, each the file write_single makes of that value's rows, byte for byte") {
    val results = write(rows, "out/{country}/recs.csv")

    val expected = Seq(
      "Côte d%27Ivoire" -> "country = 'Côte d\\'Ivoire'",
      "FR" -> "country = 'FR'",
      "__HIVE_DEFAULT_PARTITION__" -> "country IS NULL",
      "a%2Fb" -> "country = 'a/b'"
    )
    listing("out") shouldBe expected.flatMap { case (dir, _) => Seq(dir, s"$dir/recs.csv") }.sorted
    expected.foreach { case (dir, condition) =>
      Calls.write(
        rows.where(condition).drop("country"),
        path(s"alone-$dir.csv"),
        "csv",
        "errorifexists",
        header
      )
      readBytes(s"out/$dir/recs.csv") shouldBe readBytes(s"alone-$dir.csv")
    }
    val fr = read("out/FR/recs.csv").split("\n").toSeq
    fr.head shouldBe "id,name"
    fr.tail.map(_.takeWhile(_ != ',').toInt) shouldBe (0 until 3000 by 4)
    results.map(_.target.split('/').init.last) shouldBe expected.map(_._1)
    results.map(_.files).sum should be >= 4
  }

  test("files of at most N records, numbered in row order, each with the header, also per value") {
    val results = write(rows, "out/recs-{n}.csv", options = header + ("maxRecordsPerFile" -> "700"), by = Nil)

    listing("out") shouldBe (1 to 5).map(n => f"recs-$n%05d.csv")
    val files = (1 to 5).map(n => read(f"out/recs-$n%05d.csv").split("\n").toSeq)
    files.foreach(_.head shouldBe "id,country,name")
    files.map(_.size - 1) shouldBe Seq(700, 700, 700, 700, 200)
    files.flatMap(_.tail).map(_.takeWhile(_ != ',').toInt) shouldBe (0 until 3000)
    results should have length 5

    write(rows, "per/{country}-{n}.csv", options = Map("maxRecordsPerFile" -> "500"))
    listing("per").filter(_.startsWith("FR-")) shouldBe Seq("FR-00001.csv", "FR-00002.csv")
    read("per/FR-00002.csv").split("\n").map(_.takeWhile(_ != ',').toInt).toSeq shouldBe (2000 until 3000 by 4)
  }

  test("no rows: no file per value; numbered files give one, the header alone") {
    write(rows.limit(0), "out/{country}.csv") shouldBe empty
    exists("out") shouldBe false // the folder the write made for its work, removed with nothing published
    write(rows.limit(0), "num/{n}.csv", options = header + ("maxRecordsPerFile" -> "10"), by = Nil)
    listing("num") shouldBe Seq("00001.csv")
    read("num/00001.csv") shouldBe "id,country,name\n"
  }

  test("modes: errorifexists refuses before any file is published, ignore skips, overwrite leaves the others") {
    write("out/FR.csv", "old\n")
    write("out/DE.csv", "other\n")
    val error = the[TargetExistsException] thrownBy write(rows, "out/{country}.csv")
    error.getMessage should include("FR.csv")
    listing("out") shouldBe Seq("DE.csv", "FR.csv")

    val skipped = write(rows, "out/{country}.csv", mode = "ignore")
    read("out/FR.csv") shouldBe "old\n"
    skipped.map(_.strategy).count(_ == "skipped") shouldBe 1
    listing("out") should have length 5

    write(rows, "out/{country}.csv", mode = "overwrite")
    read("out/FR.csv") should startWith("id,name\n0,user 0\n")
    read("out/DE.csv") shouldBe "other\n"
  }

  test("as a Spark job: the same files when every set is merged on the executors") {
    write(rows, "threads/{country}.csv")
    spark.conf.set(ManyMerges.ExecutorsFromConf, "1")
    try write(rows, "tasks/{country}.csv")
    finally spark.conf.unset(ManyMerges.ExecutorsFromConf)
    listing("tasks") shouldBe listing("threads")
    listing("tasks").foreach(name => readBytes(s"tasks/$name") shouldBe readBytes(s"threads/$name"))
  }

  test("the data source takes partitionBy and maxRecordsPerFile, and reads back a row per file") {
    rows.write
      .format("sparkmerge")
      .partitionBy("country")
      .option("header", "true")
      .option("maxRecordsPerFile", "1000")
      .option("result", "many")
      .save(path("out/{country}_{n}.csv"))
    write(rows, "direct/{country}_{n}.csv", options = header + ("maxRecordsPerFile" -> "1000"))

    listing("out") shouldBe listing("direct")
    listing("out").foreach(name => readBytes(s"out/$name") shouldBe readBytes(s"direct/$name"))
    val back = spark.read.format("sparkmerge").option("result", "many").load().collect()
    back.map(_.getAs[String]("target").split('/').last).toSeq shouldBe listing("out")
  }

  test("a path and columns that do not fit, a bad limit, and a template for one file are refused by name") {
    the[InvalidOptionException].thrownBy(write(rows, "out/{day}.csv")).getMessage should include("country")
    the[InvalidOptionException].thrownBy(write(rows, "out/{x}.csv", by = Seq("x"))).getMessage should
      include("not a column")
    the[InvalidOptionException]
      .thrownBy(write(rows, "out/{n}.csv", options = Map("maxRecordsPerFile" -> "0"), by = Nil))
      .getMessage should include("at least 1")
    the[InvalidOptionException]
      .thrownBy(Calls.write(rows, path("out/{country}.csv")))
      .getMessage should include("give the partition columns")
    the[InvalidOptionException]
      .thrownBy(write(rows, "out/{country}-{n}.csv"))
      .getMessage should include("give max_records_per_file=N")
    the[InvalidOptionException]
      .thrownBy(write(rows, "out/{country}.csv", by = Seq("country", "Country")))
      .getMessage should include("are one column")
    exists("out") shouldBe false
  }
}
