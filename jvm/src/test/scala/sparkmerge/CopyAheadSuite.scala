package sparkmerge

import java.nio.file.{Files, Path => JPath}

import org.apache.hadoop.fs.RawLocalFileSystem
import org.scalatest.concurrent.Eventually
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers
import org.scalatest.time.SpanSugar._

/**
 * The layout a running job leaves under FileOutputCommitter (algorithm 1), built by hand so that each moment of
 * the job can be held still: committed tasks, a task still writing, and then the job's commit.
 */
class CopyAheadSuite extends AnyFunSuite with Matchers with LocalFiles with Eventually {

  private def raw = DataFileSystem.of(localFs).asInstanceOf[RawLocalFileSystem]
  private val header = "user_id,product_id,score\n"

  /** Odd lengths, not multiples of the 4 KiB that direct writes align to. */
  private def rows(partition: Int): String =
    (0 until 700).map(i => s"${partition * 1000 + i},${i * 7},0.${i % 97}\n").mkString

  private def committed(partition: Int): JPath =
    write(f"w/data/_temporary/0/task_20261125_0007_m_$partition%06d/part-$partition%05d-u-c000.csv", rows(partition))

  private def running(partition: Int): JPath =
    write(
      f"w/data/_temporary/0/_temporary/attempt_20261125_0007_m_$partition%06d_0/part-$partition%05d-u-c000.csv",
      rows(partition)
    )

  /** What the job's commit does: every task's files move by name into the output directory. */
  private def commitJob(files: Seq[JPath]): Unit = {
    files.foreach(file => Files.move(file, dir.resolve("w/data").resolve(file.getFileName)))
    Files
      .walk(dir.resolve("w/data/_temporary"))
      .sorted(java.util.Comparator.reverseOrder[JPath]())
      .forEach(Files.delete(_))
  }

  private def start(): CopyAhead = {
    val headerPart = Part(hadoopPath("w/header/part-00000-h-c000.csv"), header.length)
    new CopyAhead(raw, Vector(headerPart), hadoopPath("w/data"), hadoopPath("w/merged"), 8192).start()
  }

  private def plan() = {
    val headerPart = Part(hadoopPath("w/header/part-00000-h-c000.csv"), header.length)
    val parts = PartDiscovery.list(raw, hadoopPath("w/data"))
    MergePlanner.whole(raw, headerPart +: parts, hadoopPath("out.csv"), parts.size)
  }

  private val everything = header + (0 until 4).map(rows).mkString

  test("committed tasks are copied in partition order while the job runs; the merge adds only the rest") {
    write("w/header/part-00000-h-c000.csv", header)
    val files = Seq(committed(0), committed(1), running(2), committed(3))
    val ahead = start()
    eventually(timeout(10.seconds))(ahead.piecesCopied shouldBe 3) // the header, 0 and 1: 2 is still running
    Thread.sleep(200)
    ahead.piecesCopied shouldBe 3 // 3 has committed, but may not go before 2
    commitJob(files)
    val copied = ahead.stop()

    copied.pieces
      .map(_.path.getName) shouldBe Seq("part-00000-h-c000.csv", "part-00000-u-c000.csv", "part-00001-u-c000.csv")
    copied.bytes shouldBe header.length + rows(0).length + rows(1).length
    val progress = new MergeProgress()
    val result = Merger.execute(plan(), localFs, localFs, MergeOptions(), progress, Some(copied))

    read("out.csv") shouldBe everything
    result.reason should include("3 of 5 pieces copied while Spark wrote")
    progress.bytesDone shouldBe everything.length
    progress.bytesAhead shouldBe copied.bytes // done, but no part of the merge's own speed
    result.bytesAhead shouldBe copied.bytes
    listing("w") should not contain "merged"
  }

  test("a copy that does not start the plan is thrown away, and the merge copies everything") {
    write("w/header/part-00000-h-c000.csv", header)
    val files = Seq(committed(0), committed(1), committed(2), committed(3))
    val ahead = start()
    eventually(timeout(10.seconds))(ahead.piecesCopied shouldBe 5)
    commitJob(files)
    write("w/data/part-00001-u-c000.csv", "not what was copied\n")
    val copied = ahead.stop()

    val result = Merger.execute(plan(), localFs, localFs, MergeOptions(), new MergeProgress(), Some(copied))

    read("out.csv") shouldBe header + rows(0) + "not what was copied\n" + rows(2) + rows(3)
    result.reason should not include "copied while"
    result.bytesAhead shouldBe 0L
    listing("w") should not contain "merged"
  }

  test("a job whose committer leaves no task directories is merged after it, from the header on") {
    write("w/header/part-00000-h-c000.csv", header)
    val ahead = start()
    eventually(timeout(10.seconds))(ahead.piecesCopied shouldBe 1)
    (0 until 4).foreach(p => write(f"w/data/part-$p%05d-u-c000.csv", rows(p)))
    val copied = ahead.stop()

    val result = Merger.execute(plan(), localFs, localFs, MergeOptions(), new MergeProgress(), Some(copied))

    read("out.csv") shouldBe everything
    result.reason should include("1 of 5 pieces copied while Spark wrote")
  }
}
