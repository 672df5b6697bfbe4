package sparkmerge.cli

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.MergeOptions
import sparkmerge.cli.Arguments.{CleanPath, Merge, ShowHelp, ShowVersion}

/** The words of the command line, every way they are run: the one parser of them, without a JVM of its own. */
class ArgumentsSuite extends AnyFunSuite with Matchers {

  private def parsed(words: String*): Arguments = Arguments.parse(words).fold(problem => fail(problem), identity)
  private def refused(words: String*): String = Arguments.parse(words).swap.getOrElse(fail(s"took $words"))

  test("a merge takes its switches and values anywhere, a value after = or as the next word") {
    parsed("src", "--header", "-o", "sep=;", "out.csv", "--option=quote='", "--missing-newline", "refuse") shouldBe
      Arguments(
        Merge(
          "src",
          "out.csv",
          MergeOptions(header = true, partOptions = Map("sep" -> ";", "quote" -> "'"), missingNewline = "refuse")
        ),
        json = false
      )
    parsed("--overwrite", "--delete-source", "--json", "a", "b") shouldBe
      Arguments(Merge("a", "b", MergeOptions(overwrite = true, deleteSource = true)), json = true)
  }

  test("every word after -- is a path, and one that starts with '-' before it is refused with the way out") {
    parsed("--header", "--", "--job", "-out.csv").command shouldBe
      Merge("--job", "-out.csv", MergeOptions(header = true))
    refused("--job", "out.csv") shouldBe
      "unknown option --job (a path that starts with '-' goes after --: SOURCE and TARGET follow it)"
  }

  test("--clean takes one path, as the next word or after =") {
    parsed("--clean", "out.csv", "--json") shouldBe Arguments(CleanPath("out.csv"), json = true)
    parsed("--clean=out/{k}.csv").command shouldBe CleanPath("out/{k}.csv")
    refused("--clean", "a", "b") shouldBe "--clean takes one PATH, and no SOURCE or TARGET"
    refused("--clean") shouldBe "--clean takes one PATH, and no SOURCE or TARGET"
  }

  test("--master is taken and changes nothing: no Spark runs") {
    parsed("--master", "local[1]", "a", "b") shouldBe parsed("a", "b")
    parsed("--master=yarn", "a", "b") shouldBe parsed("a", "b")
  }

  test("--help and --version win over any other word") {
    parsed("--bogus", "--help").command shouldBe ShowHelp
    parsed("-h").command shouldBe ShowHelp
    parsed("a", "--version").command shouldBe ShowVersion
  }

  test("what is wrong with the words is said in one line") {
    refused("only-one") shouldBe "give SOURCE and TARGET, or --clean PATH"
    refused("a", "b", "c") shouldBe "give SOURCE and TARGET, or --clean PATH"
    refused("a", "b", "--option") shouldBe "--option needs a value"
    refused("a", "b", "--option", "sep") shouldBe "--option sep is not KEY=VALUE"
    refused("a", "b", "--header=yes") shouldBe "--header takes no value"
    all(Seq(refused("-x", "a", "b"), refused("a", "b", "--bogus"))) should not include "\n"
  }

  test("the values are the engine's to check, not the parser's") {
    parsed("a", "b", "--missing-newline", "maybe", "-o", "sepp=x").command shouldBe
      Merge("a", "b", MergeOptions(partOptions = Map("sepp" -> "x"), missingNewline = "maybe"))
  }
}
