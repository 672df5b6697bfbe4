package sparkmerge
package parts

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class PartKeySuite extends AnyFunSuite with Matchers {

  private def sorted(names: String*): Seq[String] = names.sortBy(PartKey.of)

  test("task numbers sort as numbers, not as text") {
    sorted("part-100000-u-c000.csv", "part-99999-u-c000.csv", "part-2-u-c000.csv") shouldBe
      Seq("part-2-u-c000.csv", "part-99999-u-c000.csv", "part-100000-u-c000.csv")
  }

  test("within a task, the file counter orders the files, in both name forms") {
    val uuid = "4b1c0f3e-c001-4a5e-9d7a-0123456789ab" // a uuid segment that looks like a counter
    sorted(s"part-00001-$uuid-c010.csv", s"part-00001-$uuid-c002.csv", s"part-00000-$uuid-c001.csv") shouldBe
      Seq(s"part-00000-$uuid-c001.csv", s"part-00001-$uuid-c002.csv", s"part-00001-$uuid-c010.csv")
    sorted(s"part-00003-$uuid.c001.csv.gz", s"part-00003-$uuid.c000.csv.gz") shouldBe
      Seq(s"part-00003-$uuid.c000.csv.gz", s"part-00003-$uuid.c001.csv.gz")
  }

  test("Hadoop MapReduce names and names without a counter") {
    sorted("part-r-00010", "part-r-00002", "part-m-00001") shouldBe Seq("part-m-00001", "part-r-00002", "part-r-00010")
    sorted("part-00010", "part-00002.csv") shouldBe Seq("part-00002.csv", "part-00010")
  }

  test("other names follow the parts, in natural order") {
    sorted("data-10.csv", "part-00001", "data-9.csv", "aaa.csv") shouldBe
      Seq("part-00001", "aaa.csv", "data-9.csv", "data-10.csv")
  }

  test("natural order compares digit runs by value") {
    Seq("f10", "f9", "f010", "g1", "f").sorted(NaturalOrder) shouldBe Seq("f", "f9", "f10", "f010", "g1")
  }
}
