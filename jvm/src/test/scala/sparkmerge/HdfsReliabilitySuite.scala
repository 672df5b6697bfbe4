package sparkmerge

import java.util.concurrent.{Executors, TimeUnit}
import java.util.concurrent.atomic.AtomicBoolean

import scala.util.Try

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** On a real HDFS: one winner of a race, no window without a file, a source under another name of the NameNode. */
class HdfsReliabilitySuite extends AnyFunSuite with Matchers with MiniHdfs with LocalFiles {

  private val Rounds = 30

  private def uri(path: String) = s"${hdfs.getUri}$path"

  private def sources(t: String): (String, String) = {
    (0 until 3).foreach(i => hdfsWrite(f"$t/a/part-$i%05d", s"a$i\n" * 200))
    (0 until 2).foreach(i => hdfsWrite(f"$t/b/part-$i%05d", s"bb$i\n" * 300))
    ((0 until 3).map(i => s"a$i\n" * 200).mkString, (0 until 2).map(i => s"bb$i\n" * 300).mkString)
  }

  test("of two merges racing for one target without overwrite exactly one wins, every time") {
    val (fromA, fromB) = sources("/race")
    (0 until Rounds).foreach { round =>
      val target = uri(s"/race/out-$round.csv")
      val (ra, rb) = Racing.both(
        Calls.merge(uri("/race/a"), target, MergeOptions(), hdfsConf),
        Calls.merge(uri("/race/b"), target, MergeOptions(), hdfsConf)
      )
      withClue(s"round $round: ") {
        Seq(ra, rb).count(_.isSuccess) shouldBe 1
        Seq(ra, rb).flatMap(_.failed.toOption).foreach(_ shouldBe a[TargetExistsException])
        hdfsRead(s"/race/out-$round.csv") shouldBe (if (ra.isSuccess) fromA else fromB)
      }
    }
    hdfsListing("/race").filter(_.contains("sparkmerge")) shouldBe empty
  }

  test("racing overwrites both succeed, and a reader polling the target never finds it missing or short") {
    val (fromA, fromB) = sources("/over")
    hdfsWrite("/over/out.csv", fromA)
    val stop = new AtomicBoolean(false)
    // The name is looked up as a reader's open does: never missing, never of another length. A read of a file
    // that is replaced while it reads may fail (HDFS removes the old file's blocks), but never gives a mix.
    val lengths = Set(fromA.length.toLong, fromB.length.toLong)
    val reader = Executors.newSingleThreadExecutor().submit { () =>
      var wrong = Vector.empty[String]
      var reads = 0
      while (!stop.get && reads < 100000) {
        Try(hdfs.getFileStatus(new Path("/over/out.csv")).getLen).fold(
          missing => wrong :+= s"missing: $missing",
          length => if (!lengths(length)) wrong :+= s"$length bytes"
        )
        Try(hdfsRead("/over/out.csv")).foreach(text => if (text != fromA && text != fromB) wrong :+= text.take(20))
        reads += 1
      }
      wrong
    }
    def overwrites(): Unit =
      (0 until Rounds).foreach { round =>
        val (ra, rb) = Racing.both(
          Calls.merge(uri("/over/a"), uri("/over/out.csv"), MergeOptions(overwrite = true), hdfsConf),
          Calls.merge(uri("/over/b"), uri("/over/out.csv"), MergeOptions(overwrite = true), hdfsConf)
        )
        withClue(s"round $round: ")((ra.isSuccess, rb.isSuccess) shouldBe ((true, true)))
      }
    try overwrites()
    finally stop.set(true)
    reader.get(60, TimeUnit.SECONDS) shouldBe empty
    hdfsListing("/over").filter(_.contains("sparkmerge")) shouldBe empty
  }

  test("a target inside the source under another name of the NameNode is refused; nothing is deleted") {
    hdfsWrite("/names/src/part-00000", "a\n")
    val port = hdfs.getUri.getPort
    val e = intercept[InvalidLayoutException](
      Calls.merge(
        s"hdfs://127.0.0.1:$port/names/src",
        s"hdfs://localhost:$port/names/src/merged.csv",
        MergeOptions(deleteSource = true),
        hdfsConf
      )
    )
    e.getMessage should include("inside the source")
    hdfsListing("/names/src") shouldBe Seq("part-00000")
  }

  test("a part without a final line break turns a concat into a copy that adds one") {
    hdfsWrite("/unended/src/part-00000", "1\n2")
    hdfsWrite("/unended/src/part-00001", "3\n")
    val result = Calls.merge(uri("/unended/src"), uri("/unended/out.csv"), MergeOptions(deleteSource = true), hdfsConf)
    (result.strategy, hdfsRead("/unended/out.csv")) shouldBe (("copy", "1\n2\n3\n"))
    result.reason should include("ends without a line break")
    hdfs.exists(new Path("/unended/src")) shouldBe false
  }
}
