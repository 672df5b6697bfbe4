package sparkmerge
package partitions

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, StandardOpenOption}

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** A template's write that fails or has nothing to publish leaves the folder tree as it found it. */
class NewFoldersSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  /** A part written through the checksummed file system, then a byte changed behind the checksum's back. */
  private def damaged(relative: String): Unit = {
    val out = localFs.create(hadoopPath(relative))
    try out.write("id\n1\n2\n".getBytes(UTF_8))
    finally out.close()
    val channel = java.nio.channels.FileChannel.open(dir.resolve(relative), StandardOpenOption.WRITE)
    try channel.write(java.nio.ByteBuffer.wrap("#".getBytes(UTF_8)), 3L)
    finally channel.close()
  }

  test("an empty DataFrame written to a template makes no folder, and keeps an empty one that was there") {
    Files.createDirectories(dir.resolve("out/kept"))
    val before = listing()
    val none = spark.range(0).selectExpr("id", "CAST(id AS STRING) AS v")
    SparkMerge
      .write(
        none,
        WriteCall(path("out/deep/{v}/x/{n}.csv"), options = Map("maxRecordsPerFile" -> "10"), partitionBy = Seq("v"))
      )
      .files shouldBe empty
    SparkMerge.write(none, WriteCall(path("new/a/b/{v}.csv"), partitionBy = Seq("v"))).files shouldBe empty
    listing() shouldBe before
  }

  test("a write refused for a file that exists leaves the folder tree as it was") {
    write("out/1/x/00001.csv", "old\n")
    Files.createDirectories(dir.resolve("out/empty"))
    val before = listing()
    val rows = spark.range(0, 40, 1, 2).selectExpr("id", "CAST(id % 2 AS STRING) AS v")
    a[TargetExistsException] should be thrownBy SparkMerge.write(
      rows,
      WriteCall(path("out/{v}/x/{n}.csv"), options = Map("maxRecordsPerFile" -> "10"), partitionBy = Seq("v"))
    )
    listing() shouldBe before
  }

  test("merges that fail on damaged parts leave no folder of theirs, deep or shallow") {
    damaged("src/v=1/part-00000.csv")
    damaged("src/v=2/part-00000.csv")
    val before = listing()
    val deep = "out/" + (1 to 16).map(i => s"level$i").mkString("/") + "/{v}/x/data.csv"
    a[MergeFailedException] should be thrownBy
      Calls.mergeMany(path("src"), path(deep), MergeOptions(header = true), conf)
    listing() shouldBe before
  }
}
