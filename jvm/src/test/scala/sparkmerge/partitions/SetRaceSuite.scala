package sparkmerge
package partitions

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * Two merges of one template at once, each a set of 20 files, in threads of one JVM: without overwrite exactly
 * one set lands, whole, and the other is refused and leaves nothing; with ignore neither is refused, and each
 * file is one writer's, whole.
 */
class SetRaceSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  private val Rounds = 10
  private val Values = 20

  /** Two partitioned sources of the same values, of different rows, so a file of the other writer's shows. */
  private def sources(): Unit =
    for (v <- 0 until Values; part <- 0 until 2) {
      write(f"a/v=$v/part-$part%05d.csv", s"a$v\n" * 50)
      write(f"b/v=$v/part-$part%05d.csv", s"bb$v\n" * 70)
    }

  private def from(writer: String, v: Int): String = (if (writer == "a") s"a$v\n" * 50 else s"bb$v\n" * 70) * 2

  private def merge(writer: String, round: Int, options: MergeOptions) =
    Calls.mergeMany(path(writer), path(s"out-$round/{v}.csv"), options, conf)

  private def hidden(): Seq[String] = listing().filter(_.contains(".sparkmerge-"))

  test("without overwrite, of two sets racing for one template exactly one lands whole, every time") {
    sources()
    (0 until Rounds).foreach { round =>
      val (ra, rb) = Racing.both(merge("a", round, MergeOptions()), merge("b", round, MergeOptions()))
      withClue(s"round $round: ") {
        Seq(ra, rb).count(_.isSuccess) shouldBe 1
        val loser = Seq(ra, rb).find(_.isFailure).get.failed.get
        loser shouldBe a[TargetExistsException]
        val winner = if (ra.isSuccess) "a" else "b"
        (0 until Values).foreach(v => read(s"out-$round/$v.csv") shouldBe from(winner, v))
        listing(s"out-$round") should have size Values
        hidden() shouldBe empty
      }
    }
  }

  /** 20 values, each of rows that say which writer wrote them. */
  private def frame(writer: String) =
    spark.range(0, Values * 10, 1, 4).selectExpr("id % 20 AS v", s"concat('$writer', id) AS row")

  private def writeSet(writer: String, round: Int, mode: String) =
    Calls.writeMany(frame(writer), path(s"w-$round/{v}.csv"), "csv", mode, Map.empty, Seq("v"))

  private def writtenBy(round: Int, v: Int): Set[Char] = read(s"w-$round/$v.csv").split("\n").map(_.head).toSet

  test("DataFrame writers: errorifexists lets exactly one set land; ignore never raises, each file one writer's") {
    (0 until 3).foreach { round =>
      val (ra, rb) = Racing.both(writeSet("a", round, "errorifexists"), writeSet("b", round, "errorifexists"))
      withClue(s"round $round: ") {
        Seq(ra, rb).count(_.isSuccess) shouldBe 1
        Seq(ra, rb).find(_.isFailure).get.failed.get shouldBe a[TargetExistsException]
        val winner = if (ra.isSuccess) 'a' else 'b'
        (0 until Values).foreach(v => writtenBy(round, v) shouldBe Set(winner))
      }
    }
    (3 until 6).foreach { round =>
      val (ra, rb) = Racing.both(writeSet("a", round, "ignore"), writeSet("b", round, "ignore"))
      withClue(s"round $round: ") {
        ra.get should have size Values
        rb.get should have size Values
        (0 until Values).foreach(v => writtenBy(round, v) should have size 1)
        hidden() shouldBe empty
      }
    }
  }

  test("two write_single of one file with ignore: neither raises, one writes it whole, the other skips") {
    (0 until 3).foreach { round =>
      val target = path(s"one-$round.csv")
      def single(writer: String) = Calls.write(frame(writer), target, "csv", "ignore")
      val (ra, rb) = Racing.both(single("a"), single("b"))
      withClue(s"round $round: ") {
        Seq(ra.get, rb.get).map(_.strategy).count(_ == "skipped") shouldBe 1
        val rows = read(s"one-$round.csv").split("\n")
        rows should have size (Values * 10)
        rows.map(_.split(',')(1).head).toSet should have size 1
        hidden() shouldBe empty
      }
    }
  }
}
