package sparkmerge
package copy

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, StandardOpenOption}

import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.faults.FaultyFileSystem

/** A part with a checksum file beside it (Spark writes them on local disk) is checked as it is copied. */
class ChecksumSuite extends AnyFunSuite with Matchers with LocalFiles {

  /** Written as Spark writes on local disk: through the checksummed file system, `.x.crc` beside `x`. */
  private def checksummed(relative: String, text: String): Unit = {
    val out = localFs.create(hadoopPath(relative))
    try out.write(text.getBytes(UTF_8))
    finally out.close()
  }

  /** A byte changed behind the checksum's back, as a bad disk or a hand edit would. */
  private def damage(relative: String, at: Long): Unit = {
    val channel = java.nio.channels.FileChannel.open(dir.resolve(relative), StandardOpenOption.WRITE)
    try channel.write(java.nio.ByteBuffer.wrap("#".getBytes(UTF_8)), at)
    finally channel.close()
  }

  private val rows = (0 until 3).map(i => s"id,name\n" + (0 until 400).map(j => s"$i$j,n$j\n").mkString)

  private def parts(): Unit = rows.zipWithIndex.foreach { case (text, i) => checksummed(f"src/part-$i%05d.csv", text) }

  test("parts that match their checksums merge, and the plan says they were checked") {
    parts()
    exists("src/.part-00001.csv.crc") shouldBe true
    Calls.merge(path("src"), path("out.csv"), MergeOptions(header = true), conf)
    read("out.csv") shouldBe rows.head + rows.tail.map(_.stripPrefix("id,name\n")).mkString
  }

  test("a damaged part fails the merge, naming the part and its checksum file, with nothing written") {
    parts()
    damage("src/part-00002.csv", 5000)
    val e =
      intercept[MergeFailedException](Calls.merge(path("src"), path("out.csv"), MergeOptions(header = true), conf))
    e.getMessage should (include("part-00002.csv") and include(".part-00002.csv.crc") and include("checksum"))
    exists("out.csv") shouldBe false
    listing().filter(_.contains("sparkmerge")) shouldBe empty
    // Damage to a header that the merge drops changes the header itself: the plan refuses it first.
    damage("src/part-00001.csv", 3)
    intercept[HeaderMismatchException](Calls.merge(path("src"), path("out.csv"), MergeOptions(header = true), conf))
  }

  test("bytes checked on another thread while the buffer is written: damage inside a full buffer is found") {
    // Parts of about 25 KiB through a buffer of 4 KiB: the checks of full buffers run beside their writes.
    val large = (0 until 3).map(i => (0 until 2500).map(j => f"$i%d$j%05d,n$j\n").mkString)
    large.zipWithIndex.foreach { case (text, i) => checksummed(f"big/part-$i%05d.csv", text) }
    val small = MergeOptions(bufferBytes = 4096)
    Calls.merge(path("big"), path("out.csv"), small, conf)
    read("out.csv") shouldBe large.mkString
    damage("big/part-00001.csv", 9000)
    intercept[MergeFailedException](
      Calls.merge(path("big"), path("again.csv"), small, conf)
    ).getMessage should include("bytes 8704 to 9216 do not match")
    exists("again.csv") shouldBe false
  }

  test("parts of megabytes are checked a slice at a time, and copied inside the kernel once their checksums go") {
    // Over KernelCopy.MinBytes, and the middle part many slices of CheckedRun and chunks of KernelCopy long.
    val lines = Seq(150000, 1800000, 150000).zipWithIndex.map { case (n, i) => "id,name\n" + s"$i,abcdefg\n" * n }
    val texts = lines.updated(1, lines(1).stripSuffix("\n")) // the middle part's last line has no break
    texts.zipWithIndex.foreach { case (text, i) => checksummed(f"big/part-$i%05d.csv", text) }
    texts(1).length should be > (16 << 20)
    val result = Calls.merge(path("big"), path("out.csv"), MergeOptions(header = true), conf)
    read("out.csv") shouldBe texts.head + texts.tail.map(_.stripPrefix("id,name\n")).mkString("\n")
    result.reason should include("a line break added after 1 part")

    damage("big/part-00001.csv", (9L << 20) + 77) // far into the part: slices before it were written already
    intercept[MergeFailedException](
      Calls.merge(path("big"), path("again.csv"), MergeOptions(header = true), conf)
    ).getMessage should (include("part-00001.csv") and include(s"bytes ${(9L << 20) / 512 * 512} to"))
    exists("again.csv") shouldBe false
    listing().filter(_.contains("sparkmerge")) shouldBe empty

    // The error's way out: without the checksum files, the kernel copies the parts as they are, damage and all.
    texts.indices.foreach(i => Files.delete(dir.resolve(f"big/.part-$i%05d.csv.crc")))
    Calls.merge(path("big"), path("again.csv"), MergeOptions(header = true), conf)
    val damaged = texts(1).updated(((9L << 20) + 77).toInt, '#')
    read("again.csv") shouldBe texts.head + (damaged +: texts.drop(2)).map(_.stripPrefix("id,name\n")).mkString("\n")
  }

  test("a damaged part is found through streams too, and a checksum file of another length is refused") {
    val streamed = new Configuration()
    streamed.setClass("fs.faulty.impl", classOf[FaultyFileSystem], classOf[org.apache.hadoop.fs.FileSystem])
    parts()
    damage("src/part-00000.csv", 900)
    intercept[MergeFailedException](
      Calls.merge(s"faulty://${path("src")}", s"faulty://${path("out.csv")}", MergeOptions(), streamed)
    ).getMessage should include("part-00000.csv")

    checksummed("more/part-00000.csv", "1\n")
    Files.write(dir.resolve("more/part-00000.csv"), "1\n2\n".getBytes(UTF_8), StandardOpenOption.APPEND)
    intercept[MergeFailedException](Calls.merge(path("more"), path("more.csv"), MergeOptions(), conf))
  }

  test("compressed parts whose header is recoded are checked as they are read") {
    Seq(0, 1).foreach { i =>
      val out = localFs.create(hadoopPath(s"gz/part-0000$i.csv.gz"))
      try out.write(gzip(s"h\n$i\n"))
      finally out.close()
    }
    Calls.merge(path("gz"), path("out.csv.gz"), MergeOptions(header = true), conf)
    decoded(format.Codec.Gzip, "out.csv.gz") shouldBe "h\n0\n1\n"
    damage("gz/part-00001.csv.gz", 12)
    intercept[MergeFailedException](
      Calls.merge(path("gz"), path("again.csv.gz"), MergeOptions(header = true), conf)
    ).getMessage should include("part-00001.csv.gz")
  }
}
