package sparkmerge
package publish

import java.nio.file.{Files, Paths}
import java.util.concurrent.{Executors, TimeUnit}
import java.util.concurrent.atomic.AtomicBoolean

import scala.util.Try

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * Two merges to one target at once, hundreds of times over, in threads of one JVM: without overwrite exactly
 * one wins and the other is told the target exists; with it, both succeed, the file is one of theirs, whole;
 * a reader that polls the target meanwhile never finds it missing or short.
 */
class RaceSuite extends AnyFunSuite with Matchers with LocalFiles {

  private val Rounds = 200

  /** Two sources of different lengths, so that a file made of both, or of neither, shows. */
  private def sources(): (String, String) = {
    (0 until 4).foreach(i => write(f"a/part-$i%05d.csv", s"a$i\n" * 300))
    (0 until 3).foreach(i => write(f"b/part-$i%05d.csv", s"bb$i\n" * 500))
    ((0 until 4).map(i => s"a$i\n" * 300).mkString, (0 until 3).map(i => s"bb$i\n" * 500).mkString)
  }

  private def hidden(): Seq[String] = listing().filter(_.contains(".sparkmerge-"))

  test("without overwrite, of two merges racing for one target exactly one wins, every time") {
    val (fromA, fromB) = sources()
    (0 until Rounds).foreach { round =>
      val target = path(s"out-$round.csv")
      val (ra, rb) = Racing.both(
        Calls.merge(path("a"), target, MergeOptions(), conf),
        Calls.merge(path("b"), target, MergeOptions(), conf)
      )
      withClue(s"round $round: ") {
        Seq(ra, rb).count(_.isSuccess) shouldBe 1
        Seq(ra, rb).flatMap(_.failed.toOption).foreach(_ shouldBe a[TargetExistsException])
        read(s"out-$round.csv") shouldBe (if (ra.isSuccess) fromA else fromB)
      }
    }
    hidden() shouldBe empty
  }

  test("with overwrite, both racing merges succeed and the file is one of theirs, whole") {
    val (a, b) = sources()
    write("out.csv", "old\n")
    (0 until Rounds).foreach { round =>
      val (ra, rb) = Racing.both(
        Calls.merge(path("a"), path("out.csv"), MergeOptions(overwrite = true), conf),
        Calls.merge(path("b"), path("out.csv"), MergeOptions(overwrite = true), conf)
      )
      withClue(s"round $round: ") {
        (ra.isSuccess, rb.isSuccess) shouldBe ((true, true))
        Seq(a, b) should contain(read("out.csv"))
      }
    }
    hidden() shouldBe empty
  }

  test("a reader polling the target while it is overwritten never finds it missing or short") {
    val (a, b) = sources()
    write("out.csv", a)
    val stop = new AtomicBoolean(false)
    val seen = Executors.newSingleThreadExecutor().submit { () =>
      var reads = 0
      var wrong = Vector.empty[String]
      while (!stop.get && reads < 1000000) {
        val text = Try(new String(Files.readAllBytes(Paths.get(path("out.csv"))))).getOrElse("<missing>")
        if (text != a && text != b) wrong :+= text.take(20)
        reads += 1
      }
      (reads, wrong)
    }
    def overwrites(): Unit = (0 until Rounds).foreach { round =>
      Calls.merge(path(if (round % 2 == 0) "b" else "a"), path("out.csv"), MergeOptions(overwrite = true), conf)
    }
    try overwrites()
    finally stop.set(true)
    val (reads, wrong) = seen.get(30, TimeUnit.SECONDS)
    reads should be > Rounds
    wrong shouldBe empty
  }
}
