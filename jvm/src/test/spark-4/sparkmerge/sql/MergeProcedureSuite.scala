package sparkmerge
package sql

import org.apache.spark.sql.AnalysisException
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class MergeProcedureSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  override def sessionConf: Map[String, String] = Map(Procedures.CatalogConf -> classOf[Procedures].getName)

  private def parts(): Unit = {
    write("src/part-00000.csv", "a;b\n1;x\n")
    write("src/part-00002.csv", "a;b\n3;z\n")
    write("src/part-00010.csv", "a;b\n11;w\n")
    write("src/_SUCCESS", "")
  }

  private def call(arguments: String) = spark.sql(s"CALL sparkmerge.system.merge($arguments)").collect().toSeq

  test("CALL merges as SparkMerge.merge does and answers one row of the result") {
    parts()
    val rows = call(s"source => '${path("src")}', target => '${path("out.csv")}', header => true")
    Calls.merge(path("src"), path("reference.csv"), MergeOptions(header = true), conf)

    readBytes("out.csv") shouldBe readBytes("reference.csv")
    read("out.csv") shouldBe "a;b\n1;x\n3;z\n11;w\n"
    rows should have length 1
    rows.head.schema shouldBe ResultRows.Schema
    rows.head.getAs[String]("target") should endWith("out.csv")
    rows.head.getAs[Int]("files") shouldBe 3
    rows.head.getAs[Long]("bytes") shouldBe 17L
    rows.head.getAs[String]("strategy") shouldBe "copy"
  }

  test("overwrite, delete_source and the parts' options are arguments") {
    parts()
    write("out.csv", "old\n")
    call(
      s"source => '${path("src")}', target => '${path("out.csv")}', header => true, overwrite => true, " +
        "delete_source => true, options => map('sep', ';')"
    )

    read("out.csv") shouldBe "a;b\n1;x\n3;z\n11;w\n"
    exists("src") shouldBe false
  }

  test("refusals are the engine's exceptions, and the target is untouched") {
    parts()
    write("out.csv", "old\n")
    val taken = the[TargetExistsException] thrownBy call(s"source => '${path("src")}', target => '${path("out.csv")}'")
    taken.getMessage should include(path("out.csv"))
    an[SourceNotFoundException] should be thrownBy call(s"source => '${path("nowhere")}', target => '${path("b.csv")}'")
    val missing = the[InvalidOptionException] thrownBy call(s"source => NULL, target => '${path("b.csv")}'")
    missing.getMessage should include("source must not be NULL")
    val noValue = the[InvalidOptionException] thrownBy
      call(s"source => '${path("src")}', target => '${path("b.csv")}', options => map('sep', NULL)")
    noValue.getMessage should include("option 'sep'")
    read("out.csv") shouldBe "old\n"
    exists("b.csv") shouldBe false
  }

  test("a call of a template answers a row per file, each with the template") {
    write("byv/v=1/part-00000.csv", "a\n")
    write("byv/v=2/part-00000.csv", "b\n")
    val rows = call(s"source => '${path("byv")}', target => '${path("out/{v}.csv")}'")

    rows.map(_.getAs[String]("target")).map(_.takeRight(9)) shouldBe Seq("out/1.csv", "out/2.csv")
    rows.map(_.getAs[String]("template")).distinct shouldBe Seq(path("out/{v}.csv"))
    parts()
    val one = call(s"source => '${path("src")}', target => '${path("one.csv")}'")
    one.map(row => row.isNullAt(row.fieldIndex("template"))) shouldBe Seq(true)
  }

  test("an unknown procedure names the one there is") {
    // Spark wraps what the catalog throws in its FAILED_TO_LOAD_ROUTINE.
    val error = the[AnalysisException] thrownBy spark.sql("CALL sparkmerge.system.concat(source => 'a')")
    error.getCause shouldBe an[InvalidOptionException]
    error.getCause.getMessage should include("sparkmerge has sparkmerge.system.merge")
  }
}
