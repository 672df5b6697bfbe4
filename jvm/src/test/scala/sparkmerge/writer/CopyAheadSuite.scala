package sparkmerge
package writer

import java.nio.file.{Files, Path => JPath}

import org.apache.hadoop.fs.RawLocalFileSystem
import org.scalatest.concurrent.Eventually
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers
import org.scalatest.time.SpanSugar._

import sparkmerge.parts.{DataFileSystem, Part}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.{MergeRequest, Piece}
import sparkmerge.publish.Destination

/**
 * The layout a running job leaves under FileOutputCommitter (algorithm 1), built by hand so that each moment of
 * the job can be held still: committed tasks, a task still writing, and then the job's commit.
 */
class CopyAheadSuite extends AnyFunSuite with Matchers with LocalFiles with Eventually {

  private def raw = DataFileSystem.of(localFs).asInstanceOf[RawLocalFileSystem]
  private val header = "user_id,product_id,score\n"
  private def headerPart = Part(hadoopPath("w/header/part-00000-h-c000.csv"), header.length)

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

  private def copyAhead(): CopyAhead = {
    write("w/header/part-00000-h-c000.csv", header)
    new CopyAhead(raw, Vector(headerPart), hadoopPath("w/data"), hadoopPath("w/merged"), 8192)
  }

  /** What the DataFrame writer does once the job has ended: the pipeline, offered what was copied ahead. */
  private def mergeAfterJob(resumable: Option[Piece.Resumed], progress: MergeProgress = new MergeProgress()) = {
    val request = MergeRequest(raw, hadoopPath("w/data"), Vector(headerPart), allowEmpty = true, resumable = resumable)
    MergePipeline.run(request, Destination.of(hadoopPath("out.csv"), conf), MergeOptions(), progress)
  }

  private val everything = header + (0 until 4).map(rows).mkString

  test("committed tasks are copied in partition order while the job runs; the merge adds only the rest") {
    val files = Seq(committed(0), committed(1), running(2), committed(3))
    val ahead = copyAhead().start()
    // Two 8 KiB buffers written out: the header and partition 0 are in, partition 1 under way.
    eventually(timeout(10.seconds))(Files.size(dir.resolve("w/merged")) shouldBe 16384L)
    Thread.sleep(200) // 3 has committed, but may not go before 2
    commitJob(files)
    val copied = ahead.stop().get

    copied.holds.map(_.path.getName) shouldBe
      Seq("part-00000-h-c000.csv", "part-00000-u-c000.csv", "part-00001-u-c000.csv")
    copied.length shouldBe header.length + rows(0).length + rows(1).length
    val progress = new MergeProgress()
    val result = mergeAfterJob(Some(copied), progress)

    read("out.csv") shouldBe everything
    result.reason should include("3 of 5 pieces copied while Spark wrote")
    progress.bytesDone shouldBe everything.length
    progress.bytesSettled shouldBe copied.length // done, but no part of the merge's own speed
    result.bytesAhead shouldBe copied.length
    listing("w") should not contain "merged"
  }

  test("a copy that does not start the plan is not used, and the merge copies everything") {
    val files = Seq(committed(0), committed(1), committed(2), committed(3))
    val ahead = copyAhead()
    ahead.copyCommitted() shouldBe 5
    commitJob(files)
    write("w/data/part-00001-u-c000.csv", "not what was copied\n")
    val copied = ahead.stop()

    val result = mergeAfterJob(copied)

    read("out.csv") shouldBe header + rows(0) + "not what was copied\n" + rows(2) + rows(3)
    result.reason should not include "copied while"
    result.bytesAhead shouldBe 0L
  }

  test("a job whose committer leaves no task directories is merged after it, from the header on") {
    val ahead = copyAhead()
    ahead.copyCommitted() shouldBe 1
    (0 until 4).foreach(p => write(f"w/data/part-$p%05d-u-c000.csv", rows(p)))
    ahead.copyCommitted() shouldBe 1
    val copied = ahead.stop()

    val result = mergeAfterJob(copied)

    read("out.csv") shouldBe everything
    result.reason should include("1 of 5 pieces copied while Spark wrote")
  }

  test("a file copied ahead that is not as long as recorded is not used") {
    val files = Seq(committed(0), committed(1))
    val ahead = copyAhead()
    ahead.copyCommitted() shouldBe 3
    commitJob(files)
    val copied = ahead.stop().get
    Files.write(dir.resolve("w/merged"), "x".getBytes, java.nio.file.StandardOpenOption.APPEND)

    val result = mergeAfterJob(Some(copied))

    read("out.csv") shouldBe header + rows(0) + rows(1)
    result.bytesAhead shouldBe 0L
  }
}
