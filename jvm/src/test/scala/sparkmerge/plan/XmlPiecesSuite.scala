package sparkmerge
package plan

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** XML parts of other shapes than Spark's default: what comes before the root, and roots that cannot be joined. */
class XmlPiecesSuite extends AnyFunSuite with Matchers with LocalFiles {

  private def merge(): MergeResult = Calls.merge(path("src"), path("one.xml"), MergeOptions(), conf)

  private val prolog =
    "\uFEFF<?xml version=\"1.0\"?>\n<!-- made by a job -->\n<!DOCTYPE rows>\n<rows note=\"a > b\" x='<'>"

  test("a byte-order mark, a comment, a DOCTYPE and a '>' inside an attribute come before the rows, once") {
    (0 until 3).foreach(i => write(f"src/part-$i%05d.xml", s"$prolog\n  <r>$i</r>\n</rows>\n"))
    merge().files shouldBe 3
    read("one.xml") shouldBe s"$prolog\n  <r>0</r>\n  <r>1</r>\n  <r>2</r>\n</rows>\n"
  }

  test("one part is the document as it is; empty parts add nothing") {
    write("src/part-00000.xml", "")
    write("src/part-00001.xml", "<rows>\n<r>1</r>\n</rows>")
    write("src/part-00002.xml", "")
    merge()
    read("one.xml") shouldBe "<rows>\n<r>1</r>\n</rows>"
  }

  test("parts that are not documents Spark writes are refused, naming the part, nothing written") {
    write("src/part-00000.xml", "<rows>\n<r>0</r>\n</rows>")
    write("src/part-00001.xml", "<rows/>")
    intercept[UnsupportedFormatException](merge()).getMessage should (include("part-00001.xml") and include("no rows"))
    write("src/part-00001.xml", "<rows>\n<r>1</r>\n")
    intercept[UnsupportedFormatException](merge()).getMessage should include("does not end with the root's end tag")
    write("src/part-00001.xml", "<rows>\n<r>1</r>\n</rows>trailing")
    intercept[UnsupportedFormatException](merge()).getMessage should include("part-00001.xml")
    exists("one.xml") shouldBe false
  }
}
