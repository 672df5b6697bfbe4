package sparkmerge
package partitions

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class PartitionedMergeSuite extends AnyFunSuite with Matchers with LocalFiles {

  /** A partitionBy("country") write: parts numbered as Spark numbers them, a header in each, side files. */
  private def countries(): Unit = {
    write("src/_SUCCESS", "")
    write("src/country=FR/part-00000.csv", "id\n1\n")
    write("src/country=FR/part-00010.csv", "id\n11\n")
    write("src/country=FR/part-00002.csv", "id\n3\n")
    write("src/country=FR/_committed_123", "x")
    write("src/country=C%C3%B4te d'Ivoire/part-00001.csv", "id\n2\n")
    write("src/country=__HIVE_DEFAULT_PARTITION__/part-00003.csv", "id\n4\n")
  }

  private def merge(template: String, options: MergeOptions = MergeOptions(header = true)) =
    Calls.mergeMany(path("src"), path(template), options, conf)

  test("one whole file per value, rows in part order, the header once, at the path the value fills in") {
    countries()
    val results = merge("out/{country}.csv")

    read("out/FR.csv") shouldBe "id\n1\n3\n11\n"
    read("out/C%C3%B4te d'Ivoire.csv") shouldBe "id\n2\n"
    read("out/__HIVE_DEFAULT_PARTITION__.csv") shouldBe "id\n4\n"
    listing("out") should have length 3
    results.map(_.files) shouldBe Seq(1, 3, 1) // in the order of the values
    results
      .map(_.target.split('/').last) shouldBe Seq("C%C3%B4te d'Ivoire.csv", "FR.csv", "__HIVE_DEFAULT_PARTITION__.csv")
  }

  test("nested partitions fill several placeholders, in any order in the path") {
    write("src/year=2026/month=2/part-00000.csv", "a\n")
    write("src/year=2026/month=10/part-00000.csv", "b\n")
    write("src/year=2025/month=12/part-00000.csv", "c\n")
    val results = merge("out/{month}-{year}/data.csv", MergeOptions())

    read("out/2-2026/data.csv") shouldBe "a\n"
    read("out/10-2026/data.csv") shouldBe "b\n"
    read("out/12-2025/data.csv") shouldBe "c\n"
    results.map(_.target.stripPrefix("file:").stripPrefix(path("out") + "/")) shouldBe
      Seq("12-2025/data.csv", "2-2026/data.csv", "10-2026/data.csv")
  }

  test("without overwrite, one existing target refuses them all before anything is written") {
    countries()
    write("out/FR.csv", "old\n")
    val error = the[TargetExistsException] thrownBy merge("out/{country}.csv")
    error.getMessage should include("FR.csv")
    listing("out") shouldBe Seq("FR.csv")
    read("out/FR.csv") shouldBe "old\n"

    merge("out/{country}.csv", MergeOptions(header = true, overwrite = true))
    read("out/FR.csv") shouldBe "id\n1\n3\n11\n"
  }

  test("delete_source removes the partitions merged and what the write left beside them") {
    countries()
    merge("out/{country}.csv", MergeOptions(header = true, deleteSource = true))
    exists("src") shouldBe false
    listing("out") should have length 3
  }

  test("a template must name exactly the partition columns") {
    countries()
    val wrong = the[InvalidOptionException] thrownBy merge("out/{day}.csv")
    wrong.getMessage should include("the partitions of")
    wrong.getMessage should include("{country}")
    (the[InvalidOptionException] thrownBy merge("out/{country.csv")).getMessage should include(
      "no partition column in braces"
    )
    exists("out") shouldBe false
  }

  test("layouts partitionBy does not write are refused with the directory to look at") {
    write("src/country=FR/part-00000.csv", "1\n")
    write("src/stray.csv", "2\n")
    (the[InvalidLayoutException] thrownBy merge("out/{country}.csv")).getMessage should include("stray.csv")

    write("flat/part-00000.csv", "1\n")
    (the[InvalidLayoutException] thrownBy
      Calls.mergeMany(path("flat"), path("out/{country}.csv"), MergeOptions(), conf)).getMessage should
      include("holds no partition directories")
    an[SourceNotFoundException] should be thrownBy
      Calls.mergeMany(path("nowhere"), path("out/{country}.csv"), MergeOptions(), conf)
  }

  test("a bad option fails once for the set, naming the template, before any file is merged") {
    countries()
    val unknown = intercept[InvalidOptionException] {
      merge("out/{country}.csv", MergeOptions(partOptions = Map("sepp" -> "x")))
    }
    unknown.getMessage should include("'sepp'")
    unknown.getMessage should include("out/{country}.csv")
    val policy = intercept[InvalidOptionException](merge("out/{country}.csv", MergeOptions(missingNewline = "maybe")))
    policy.getMessage should include("maybe")
    exists("out") shouldBe false
  }
}
