package sparkmerge

import scala.io.Source

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** The command line, run as spark-submit or hadoop jar would run it: a JVM of its own. */
class MergeMainSuite extends AnyFunSuite with Matchers with LocalFiles {

  private def run(args: String*): (Int, String) = {
    val java = sys.props("java.home") + "/bin/java"
    val command = Seq(java, "-cp", sys.props("java.class.path"), "sparkmerge.MergeMain") ++ args
    val process = new ProcessBuilder(command: _*).redirectErrorStream(true).start()
    val output = Source.fromInputStream(process.getInputStream).mkString
    (process.waitFor(), output)
  }

  test("merges with a header and reports the result") {
    write("src/part-00000.csv", "h\n1\n")
    write("src/part-00001.csv", "h\n2\n")
    val (code, output) = run(path("src"), path("out.csv"), "--header")
    code shouldBe 0
    output should include("files=2")
    read("out.csv") shouldBe "h\n1\n2\n"
  }

  test("a refusal is one line on stderr and exit code 1; bad usage is exit code 2") {
    val (code, output) = run(path("missing"), path("out.csv"))
    code shouldBe 1
    output.linesIterator.filter(_.startsWith("sparkmerge:")).toSeq should have size 1
    output should include(path("missing"))
    run(path("missing"))._1 shouldBe 2
    run(path("a"), path("b"), "--bogus")._1 shouldBe 2
  }
}
