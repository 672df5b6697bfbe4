package sparkmerge

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.format.Codec
import sparkmerge.parts.PartDiscovery
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.{MergePlan, MergePlanner, MergeRequest, Piece, Strategy}
import sparkmerge.publish.Destination

/** Merges on a real HDFS: concat where the parts may be consumed, the copy where not or where HDFS refuses. */
class HdfsMergeSuite extends AnyFunSuite with Matchers with MiniHdfs with LocalFiles {

  private var n = 0

  /** A fresh directory on HDFS for each test. */
  private def fresh(): String = { n += 1; s"/t$n" }

  private def merge(source: String, target: String, options: MergeOptions): MergeResult =
    Calls.merge(s"${hdfs.getUri}$source", s"${hdfs.getUri}$target", options, hdfsConf)

  private val consume = MergeOptions(deleteSource = true)

  private def progress() = new MergeProgress()

  test("1,000 parts are concatenated in task order into another directory, and the source goes") {
    val t = fresh()
    val rows = (0 until 1000).map(i => s"row $i\n")
    rows.zipWithIndex.foreach { case (row, i) => hdfsWrite(f"$t/src/part-$i%05d-u-c000.csv", row) }
    hdfsWrite(s"$t/src/_SUCCESS", "")
    val result = merge(s"$t/src", s"$t/out/recommendations.csv", consume)
    result.strategy shouldBe "concat"
    result.files shouldBe 1000
    hdfsRead(s"$t/out/recommendations.csv") shouldBe rows.mkString
    result.bytes shouldBe rows.mkString.length
    hdfs.exists(new Path(s"$t/src")) shouldBe false
    hdfsListing(s"$t/out") shouldBe Seq("recommendations.csv")
  }

  test("parts that span several blocks and end mid-block are joined byte for byte") {
    val t = fresh()
    // Lines of letters, each part's last one ended, as every line-format part is.
    val big = (0 until 3).map { i =>
      Array.tabulate[Byte]((2.5 * (1 << 20)).toInt + i)(j =>
        if (j % 100 == 99) '\n' else ('a' + (i + j) % 26).toByte
      ) :+
        '\n'.toByte
    }
    big.zipWithIndex.foreach { case (bytes, i) => hdfsWriteBytes(s"$t/src/part-0000$i", bytes) }
    merge(s"$t/src", s"$t/out.bin", consume).strategy shouldBe "concat"
    val in = hdfs.open(new Path(s"$t/out.bin"))
    try in.readAllBytes() shouldBe big.flatten.toArray
    finally in.close()
  }

  test("empty parts are left out of the concat, which HDFS would refuse") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "")
    hdfsWrite(s"$t/src/part-00001", "a\n")
    hdfsWrite(s"$t/src/part-00002", "")
    hdfsWrite(s"$t/src/part-00003", "b\n")
    merge(s"$t/src", s"$t/out.csv", consume).strategy shouldBe "concat"
    hdfsRead(s"$t/out.csv") shouldBe "a\nb\n"
  }

  test("one part with data is renamed into place") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "")
    hdfsWrite(s"$t/src/part-00001", "only\n")
    merge(s"$t/src", s"$t/out.csv", consume).strategy shouldBe "concat"
    hdfsRead(s"$t/out.csv") shouldBe "only\n"
  }

  test("gzip parts concatenate into one gzip stream") {
    val t = fresh()
    hdfsWriteBytes(s"$t/src/part-00000.csv.gz", gzip("1\n"))
    hdfsWriteBytes(s"$t/src/part-00001.csv.gz", gzip("2\n"))
    merge(s"$t/src", s"$t/out.csv.gz", consume).strategy shouldBe "concat"
    val in = Codec.Gzip.decode(hdfs.open(new Path(s"$t/out.csv.gz")))
    try new String(in.readAllBytes()) shouldBe "1\n2\n"
    finally in.close()
  }

  test("300 parts with headers and empty ones are copied in order, read ahead of the writer") {
    val t = fresh()
    (0 until 300).foreach { i =>
      hdfsWrite(f"$t/src/part-$i%05d-u-c000.csv", if (i % 7 == 3) "" else s"id\n$i\n" + "x" * (i * 50) + "\n")
    }
    val result = merge(s"$t/src", s"$t/out.csv", MergeOptions(header = true))
    result.strategy shouldBe "copy"
    hdfsRead(s"$t/out.csv") shouldBe "id\n" + (0 until 300)
      .filterNot(_ % 7 == 3)
      .map(i => s"$i\n" + "x" * (i * 50) + "\n")
      .mkString
  }

  test("a part that vanishes during a copy on HDFS fails the merge and leaves the target untouched") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    hdfsWrite(s"$t/out.csv", "old\n")
    val plan = MergePlan(
      hdfs.makeQualified(new Path(s"$t/out.csv")),
      Vector(Piece.Whole(new Path(s"$t/src/part-00000"), 2), Piece.Whole(new Path(s"$t/src/gone"), 2)),
      Strategy.Copy,
      Codec.Plain,
      files = 2
    )
    intercept[MergeFailedException](
      MergePipeline.execute(
        plan,
        hdfs,
        Destination.of(plan.target, hdfsConf),
        MergeOptions(overwrite = true),
        progress()
      )
    )
    hdfsRead(s"$t/out.csv") shouldBe "old\n"
    hdfsListing(t) shouldBe Seq("out.csv", "src")
  }

  test("sources to keep are copied, never consumed") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    hdfsWrite(s"$t/src/part-00001", "b\n")
    val result = merge(s"$t/src", s"$t/out.csv", MergeOptions())
    result.strategy shouldBe "copy"
    result.reason should include("kept")
    hdfsRead(s"$t/out.csv") shouldBe "a\nb\n"
    hdfsListing(s"$t/src") shouldBe Seq("part-00000", "part-00001")
  }

  test("parts that carry headers are copied, the header kept once") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "h\na\n")
    hdfsWrite(s"$t/src/part-00001", "h\nb\n")
    val result = merge(s"$t/src", s"$t/out.csv", MergeOptions(header = true, deleteSource = true))
    (result.strategy, result.reason) shouldBe ((
      "copy",
      "the parts carry what only a copy can drop or rewrite: header lines, byte-order marks, XML root tags or " +
        "Avro sync markers"
    ))
    hdfsRead(s"$t/out.csv") shouldBe "h\na\nb\n"
    hdfs.exists(new Path(s"$t/src")) shouldBe false
  }

  test("a part with a larger block size than the first is copied, as HDFS would refuse it") {
    val t = fresh()
    hdfsWriteBytes(s"$t/src/part-00000", "a\n".getBytes, blockSize = 1L << 20)
    hdfsWriteBytes(s"$t/src/part-00001", "b\n".getBytes, blockSize = 2L << 20)
    val result = merge(s"$t/src", s"$t/out.csv", consume)
    result.strategy shouldBe "copy"
    result.reason should include("larger block size")
    hdfsRead(s"$t/out.csv") shouldBe "a\nb\n"
  }

  test("when HDFS refuses the concat (parts in a snapshot), nothing is consumed and the copy takes over") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    hdfsWrite(s"$t/src/part-00001", "b\n")
    hdfs.allowSnapshot(new Path(s"$t/src"))
    hdfs.createSnapshot(new Path(s"$t/src"), "s0")
    val result = merge(s"$t/src", s"$t/out.csv", consume)
    result.strategy shouldBe "copy"
    result.reason should (startWith("concat refused") and include("snapshot"))
    hdfsRead(s"$t/out.csv") shouldBe "a\nb\n"
    // A directory with snapshots cannot be deleted: the parts stay, whole.
    hdfsRead(s"$t/src/part-00000") shouldBe "a\n"
    hdfsRead(s"$t/src/part-00001") shouldBe "b\n"
  }

  test("an existing target stops the merge before any part is consumed") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    hdfsWrite(s"$t/src/part-00001", "b\n")
    hdfsWrite(s"$t/out.csv", "old\n")
    intercept[TargetExistsException](merge(s"$t/src", s"$t/out.csv", consume))
    hdfsRead(s"$t/out.csv") shouldBe "old\n"
    hdfsListing(s"$t/src") shouldBe Seq("part-00000", "part-00001")
  }

  test("overwrite replaces the target by concat, leaving nothing beside it") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    hdfsWrite(s"$t/src/part-00001", "b\n")
    hdfsWrite(s"$t/out.csv", "old\n")
    merge(s"$t/src", s"$t/out.csv", consume.copy(overwrite = true)).strategy shouldBe "concat"
    hdfsRead(s"$t/out.csv") shouldBe "a\nb\n"
    hdfsListing(t) shouldBe Seq("out.csv")
  }

  test("a plan's concat is shown by its description, without running") {
    val t = fresh()
    hdfsWrite(s"$t/src/part-00000", "a\n")
    val source = hdfs.makeQualified(new Path(s"$t/src"))
    val parts = PartDiscovery.list(hdfs, source)
    val plan = MergePlanner.plan(
      MergeRequest(hdfs, source, consumable = true),
      parts,
      Destination.of(new Path(s"$t/out.csv"), hdfs.getConf)
    )
    plan.strategy shouldBe Strategy.Concat
    plan.describe should include("by concat")
  }
}
