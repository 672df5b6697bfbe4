package sparkmerge

import scala.io.Source

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
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

  /** With `--json`: the exit code and stdout, which must be one JSON object, read by a real JSON parser. */
  private def runJson(args: String*): (Int, JsonNode) = {
    val java = sys.props("java.home") + "/bin/java"
    val command = Seq(java, "-cp", sys.props("java.class.path"), "sparkmerge.MergeMain", "--json") ++ args
    val process = new ProcessBuilder(command: _*).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    val stdout = Source.fromInputStream(process.getInputStream, "UTF-8").mkString
    stdout.linesIterator.toSeq should have size 1
    stdout.forall(_ < 128) shouldBe true
    (process.waitFor(), new ObjectMapper().readTree(stdout))
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

  test("--json prints the result as one ASCII JSON object, quotes and non-ASCII in paths escaped") {
    write("src \"ü\"/part-00000.csv", "h\n1\n")
    write("src \"ü\"/part-00001.csv", "h\n2\n")
    val (code, result) = runJson(path("src \"ü\""), path("out \"é\t\".csv"), "--header")
    code shouldBe 0
    result.get("target").asText shouldBe hadoopPath("out \"é\t\".csv").toString
    result.get("files").asInt shouldBe 2
    result.get("bytes").asLong shouldBe 6L
    result.get("strategy").asText shouldBe "copy"
    result.get("millis").isIntegralNumber shouldBe true
    result.get("reason").asText should not be empty
    result.get("bytesAhead").asLong shouldBe 0L
    read("out \"é\t\".csv") shouldBe "h\n1\n2\n"
  }

  test("--json prints a refusal as the exception's simple and full class name and its message, exit code 1") {
    write("src \"ü\"/part-00000.csv", "1\n")
    write("out \"é\".csv", "keep\n")
    val (code, error) = runJson(path("src \"ü\""), path("out \"é\".csv"))
    code shouldBe 1
    error.get("error").asText shouldBe "TargetExistsException"
    error.get("class").asText shouldBe "sparkmerge.TargetExistsException"
    error.get("message").asText should include(path("out \"é\".csv"))
    error.size shouldBe 3
    read("out \"é\".csv") shouldBe "keep\n"
  }

  test("a front program gets one object whatever its user asked, and the template of a {column} target") {
    write("src/k=1/part-00000.csv", "1\n")
    write("src/k=2/part-00000.csv", "2\n")
    val (code, output) = run("--front", "front", "--", path("src"), path("out/{k}.csv"))
    code shouldBe 0
    val answer = new ObjectMapper().readTree(output.linesIterator.filter(_.startsWith("{")).toSeq.last)
    answer.get("json").asBoolean shouldBe false
    answer.get("reply").get("template").asText shouldBe path("out/{k}.csv")
    answer.get("reply").get("results").size shouldBe 2
    val (_, asked) = run("--front", "front", path("missing"), path("out.csv"), "--json")
    val refused = new ObjectMapper().readTree(asked.linesIterator.filter(_.startsWith("{")).toSeq.last)
    refused.get("json").asBoolean shouldBe true
    refused.get("reply").get("error").asText shouldBe "SourceNotFoundException"
  }

  test("usage errors are one line naming the front; --help and --version print under its name") {
    run("--front", "front", "only-one")._2.trim shouldBe
      "front: error: give SOURCE and TARGET, or --clean PATH; see front --help"
    val (helped, help) = run("--front", "front", "--help")
    helped shouldBe 0
    help should startWith("usage: front [options] SOURCE TARGET")
    val (versioned, version) = run("--version")
    versioned shouldBe 0
    version.trim should fullyMatch regex """sparkmerge \d+\.\d+\.\d+.*"""
  }
}
