package sparkmerge
package partitions

import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Partition values and column names a hostile (or unlucky) user gives: every row lands in its file, or nothing is written. */
class HostileValuesSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  private def rows(values: String*): DataFrame = {
    val session = spark
    import session.implicits._
    values.zipWithIndex.map { case (v, i) => (i, v) }.toDF("id", "v")
  }

  private def writeAll(df: DataFrame, template: String, by: Seq[String] = Seq("v"), mode: String = "overwrite") =
    Calls.writeMany(df, path(template), "csv", mode, Map.empty, by)

  test("a value of .. or . never leaves its folder nor lands in it: its leading dot is written %2E") {
    write("x.csv", "the user's own file\n")
    write("out/x.csv", "another file of the user's\n")
    writeAll(rows("..", ".", ".hidden", "a"), "out/{v}/x.csv")

    read("x.csv") shouldBe "the user's own file\n"
    read("out/x.csv") shouldBe "another file of the user's\n"
    read("out/%2E./x.csv") shouldBe "0\n"
    read("out/%2E/x.csv") shouldBe "1\n"
    read("out/%2Ehidden/x.csv") shouldBe "2\n"
    read("out/a/x.csv") shouldBe "3\n"
    listing("out") shouldBe Seq(
      "%2E.",
      "%2E./x.csv",
      "%2E",
      "%2E/x.csv",
      "%2Ehidden",
      "%2Ehidden/x.csv",
      "a",
      "a/x.csv",
      "x.csv"
    ).sorted
  }

  test("from a directory, a v=.. partition never writes above the template's folder") {
    write("top.csv", "kept\n")
    write("src/v=../part-00000.csv", "dots\n")
    write("src/v=a/part-00000.csv", "a\n")
    Calls.mergeMany(path("src"), path("deep/{v}.csv"), MergeOptions(overwrite = true), conf)
    read("top.csv") shouldBe "kept\n"
    read("deep/%2E..csv") shouldBe "dots\n"
    read("deep/a.csv") shouldBe "a\n"
  }

  test("a value after a fixed dot that would make .. is refused, naming the value, before any file is published") {
    val error = intercept[InvalidOptionException](writeAll(rows(".", "b"), "out/.{v}/x.csv"))
    error.getMessage should include("v=.")
    error.getMessage should include("'..'")
    // Spark's parts, in the hidden folder beside the files, gone with it, and the folder made for them
    exists("out") shouldBe false
  }

  test("two values that give one path are refused before either is written") {
    write("src/a=p/b=x/part-00000.csv", "p\n")
    write("src/a=q/b=x/part-00000.csv", "q\n")
    val error = intercept[InvalidOptionException] {
      Calls.mergeMany(path("src"), path("out/{b}.csv"), MergeOptions(overwrite = true), conf)
    }
    error.getMessage should include("name each")
    val template = PathTemplate.parse("out/{a}/{b}.csv")
    val clash =
      intercept[InvalidOptionException](template.fillAll(Seq(Map("a" -> "p", "b" -> "x"), Map("a" -> "p", "b" -> "x"))))
    clash.getMessage should include("both make")
    exists("out") shouldBe false
  }

  test("a value that ends in .crc is a partition like any other, from a directory and from a DataFrame") {
    write("src/v=x.crc/part-00000.csv", "checked\n")
    write("src/v=y/part-00000.csv", "y\n")
    Calls.mergeMany(path("src"), path("out/{v}.csv"), MergeOptions(), conf).map(_.files) shouldBe Seq(1, 1)
    read("out/x.crc.csv") shouldBe "checked\n"

    writeAll(rows("x.crc", "z"), "df/{v}.csv")
    read("df/x.crc.csv") shouldBe "0\n"
    read("df/z.csv") shouldBe "1\n"
  }

  test("a partition column whose name starts with _ is read by Spark's rule: its directories are partitions") {
    val df = rows("p", "q").withColumnRenamed("v", "_v")
    val results = writeAll(df, "u/{_v}.csv", by = Seq("_v"))
    results.map(_.files).sum should be >= 2
    read("u/p.csv") shouldBe "0\n"
    read("u/q.csv") shouldBe "1\n"

    df.write.partitionBy("_v").csv(path("spark"))
    Calls.mergeMany(path("spark"), path("m/{_v}.csv"), MergeOptions(), conf).map(_.files).sum should be >= 2
    read("m/p.csv") shouldBe "0\n"
    read("m/q.csv") shouldBe "1\n"
  }

  test("a column of the user's named like the writer's own keeps its values") {
    val session = spark
    import session.implicits._
    val df = Seq((1, "a", "r1", 7L), (2, "a", "r2", 8L)).toDF("id", "v", "__sparkmerge_row", "sparkmerge_file_number")
    Calls.writeMany(
      df,
      path("out/{v}-{n}.csv"),
      "csv",
      "errorifexists",
      Map("header" -> "true", "maxRecordsPerFile" -> "1"),
      Seq("v")
    )
    read("out/a-00001.csv") shouldBe "id,__sparkmerge_row,sparkmerge_file_number\n1,r1,7\n"
    read("out/a-00002.csv") shouldBe "id,__sparkmerge_row,sparkmerge_file_number\n2,r2,8\n"
  }

  test("a target name of 250 bytes is written: the hidden names beside it are cut and hashed") {
    val name = "é" * 120 + ".csv" // 244 bytes
    write("src/part-00000.csv", "a\n")
    write("src/part-00001.csv", "b\n")
    Calls.merge(path("src"), path(s"out/$name"), MergeOptions(), conf)
    read(s"out/$name") shouldBe "a\nb\n"
    writeAll(rows("1", "2"), s"many/{v}$name")
    read(s"many/1$name") shouldBe "0\n"
    listing("many").filter(_.contains("sparkmerge")) shouldBe empty
  }

  test("an encoding that starts every part with a byte-order mark is refused before any work; marked parts keep one") {
    val error = intercept[InvalidOptionException] {
      Calls.writeMany(rows("a"), path("out/{v}.csv"), "csv", "overwrite", Map("encoding" -> "UTF-16"), Seq("v"))
    }
    error.getMessage should include("byte-order mark")
    exists("out") shouldBe false
    intercept[InvalidOptionException] {
      Calls.write(
        rows("a"),
        path("one.csv"),
        "csv",
        "overwrite",
        Map("encoding" -> "utf-16", "header" -> "true")
      )
    }
    exists("one.csv") shouldBe false

    spark.range(0, 100, 1, 2).write.option("encoding", "UTF-16").csv(path("marked"))
    Calls.merge(path("marked"), path("m.csv"), MergeOptions(partOptions = Map("encoding" -> "UTF-16")), conf)
    val merged = readBytes("m.csv")
    merged.take(2).map(_ & 0xff).toSeq shouldBe Seq(0xfe, 0xff)
    new String(merged, "UTF-16") shouldBe (0 until 100).map(i => s"$i\n").mkString // one mark: none left inside

    Calls.write(
      spark.range(0, 100, 1, 2).toDF(),
      path("le.csv"),
      "csv",
      "overwrite",
      Map("encoding" -> "UTF-16LE")
    )
    new String(readBytes("le.csv"), "UTF-16LE") shouldBe (0 until 100).map(i => s"$i\n").mkString
  }
}
