package sparkmerge
package format

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** merge(header = true) finds the header record by the dialect the parts were written in, or refuses. */
class CsvDialectSuite extends AnyFunSuite with Matchers with LocalFiles {

  private def merge(options: Map[String, String], target: String = "out.csv"): MergeResult =
    Calls.merge(path("src"), path(target), MergeOptions(header = true, partOptions = options), conf)

  private def parts(header: String, rows: String*): Unit =
    rows.zipWithIndex.foreach { case (row, i) => write(f"src/part-$i%05d.csv", header + row) }

  test("a quote other than Spark's default, around a column name that holds a line break") {
    parts("'user\nid',name\n", "1,a\n", "2,b\n", "3,c\n")
    merge(Map("quote" -> "'"))
    read("out.csv") shouldBe "'user\nid',name\n1,a\n2,b\n3,c\n"
  }

  test("the same parts read in the default dialect are refused, not half cut") {
    parts("'user\nid',name\n", "1,a\n", "2,b\n")
    val e = intercept[HeaderMismatchException](merge(Map.empty))
    e.getMessage should (include("part-00000.csv") and include("quote") and include("1 fields"))
    e.getMessage.linesIterator.size shouldBe 1
    exists("out.csv") shouldBe false
  }

  test("a quote character inside an unquoted name is data, in either dialect") {
    parts("x\"y,z\n", "1,2\n", "3,4\n")
    merge(Map("quote" -> "'"))
    read("out.csv") shouldBe "x\"y,z\n1,2\n3,4\n"
    merge(Map.empty, "default.csv").files shouldBe 2
  }

  test("a separator, an escape and a line separator of the caller's") {
    parts("\"a;\\\"b\";c\r\n", "1;2\r\n", "3;4\r\n")
    merge(Map("sep" -> ";", "lineSep" -> "\r\n"))
    read("out.csv") shouldBe "\"a;\\\"b\";c\r\n1;2\r\n3;4\r\n"
  }

  test("an escape that is the quote itself: doubled quotes") {
    parts("\"say \"\"hi\"\"\nthere\",b\n", "1,2\n", "3,4\n")
    merge(Map("escape" -> "\""))
    read("out.csv") shouldBe "\"say \"\"hi\"\"\nthere\",b\n1,2\n3,4\n"
  }

  test("options it does not read, values it cannot take, and encodings it cannot scan are refused") {
    parts("a,b\n", "1,2\n")
    intercept[InvalidOptionException](merge(Map("multiLine" -> "true"))).getMessage should include("multiLine")
    intercept[InvalidOptionException](merge(Map("quote" -> "ab"))).getMessage should include("one character")
    intercept[InvalidOptionException](merge(Map("encoding" -> "UTF-16"))).getMessage should include("UTF-16")
    intercept[InvalidOptionException](merge(Map("encoding" -> "no-such-charset")))
    merge(Map("encoding" -> "ISO-8859-1", "charset" -> "UTF-8", "delimiter" -> ",")).files shouldBe 1
  }

  test("a header that differs by its line ending is shown with it") {
    write("src/part-00000.csv", "a,b\r\n1,2\r\n")
    write("src/part-00001.csv", "a,b\n3,4\n")
    val e = intercept[HeaderMismatchException](merge(Map.empty))
    e.getMessage should (include("'a,b\\n'") and include("'a,b\\r\\n'"))
  }
}
