package sparkmerge
package copy

import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.faults.FaultyFileSystem

/** A part whose last line has no line break does not run into the next part's first line. */
class LineBreaksSuite extends AnyFunSuite with Matchers with LocalFiles {

  private val streamed = {
    val c = new Configuration()
    c.setClass("fs.faulty.impl", classOf[FaultyFileSystem], classOf[org.apache.hadoop.fs.FileSystem])
    c
  }

  private def unended(): Unit = {
    write("src/part-00000.csv", "h\n1\n2") // no line break after its last line
    write("src/part-00001.csv", "")
    write("src/part-00002.csv", "h\n3\n")
    write("src/part-00003.csv", "h\n4") // the last part: nothing follows it, nothing is added
  }

  test("is given one, on local disk and through streams, and the result says how many") {
    unended()
    val local = Calls.merge(path("src"), path("local.csv"), MergeOptions(header = true), conf)
    read("local.csv") shouldBe "h\n1\n2\n3\n4"
    local.reason should include("a line break added after 1 part")
    local.bytes shouldBe "h\n1\n2\n3\n4".length

    val stream = Calls.merge(s"faulty://${path("src")}", s"faulty://${path("streamed.csv")}", MergeOptions(), streamed)
    read("streamed.csv") shouldBe "h\n1\n2\nh\n3\nh\n4"
    stream.reason should include("after 1 part")
  }

  test("or refuses the merge, naming the part, with nothing written") {
    unended()
    val e = intercept[UnsupportedFormatException](
      Calls.merge(path("src"), path("out.csv"), MergeOptions(missingNewline = "refuse"), conf)
    )
    e.getMessage should include("part-00000.csv")
    listing().filterNot(_.startsWith("src")) shouldBe empty
    intercept[InvalidOptionException](
      Calls.merge(path("src"), path("out.csv"), MergeOptions(missingNewline = "no"), conf)
    )
  }

  test("a line separator of the caller's is the one added") {
    write("src/part-00000.csv", "1\r\n2")
    write("src/part-00001.csv", "3\r\n")
    Calls.merge(path("src"), path("out.csv"), MergeOptions(partOptions = Map("lineSep" -> "\r\n")), conf)
    read("out.csv") shouldBe "1\r\n2\r\n3\r\n"
  }

  test("parts that end their lines are joined byte for byte") {
    write("src/part-00000.csv", "1\n")
    write("src/part-00001.csv", "2\n")
    val result = Calls.merge(path("src"), path("out.csv"), MergeOptions(), conf)
    read("out.csv") shouldBe "1\n2\n"
    result.reason should not include "line break added"
  }
}
