package sparkmerge
package copy

import java.nio.channels.FileChannel
import java.nio.file.StandardOpenOption.{CREATE_NEW, READ, WRITE}

import org.apache.hadoop.fs.RawLocalFileSystem
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.format.Codec
import sparkmerge.plan.{LineBreaks, MergePlan, Piece, Strategy}

/** Whole parts copied on two threads, each to its place in the merged file, checked against checksum files. */
class ParallelCopySuite extends AnyFunSuite with Matchers with LocalFiles {
  private def raw = {
    val fs = new RawLocalFileSystem
    fs.initialize(java.net.URI.create("file:///"), conf)
    fs
  }

  // Over ParallelCopy's 8 MiB in all, of odd lengths, an empty part and a part of one byte among them.
  private val sizes = Seq(3 << 20, 1, 5 << 20, 0, (2 << 20) + 17, 4 << 20)

  private def name(i: Int) = f"src/part-$i%05d.bin"

  /** Parts of random bytes, each with the checksum file Hadoop's checksummed local file system writes. */
  private def parts(): Vector[Piece] =
    sizes.zipWithIndex.map { case (size, i) =>
      val bytes = new Array[Byte](size)
      new scala.util.Random(i).nextBytes(bytes)
      val out = localFs.create(hadoopPath(name(i)))
      try out.write(bytes)
      finally out.close()
      Piece.Whole(hadoopPath(name(i)), size.toLong, checksum = Some(hadoopPath(f"src/.part-$i%05d.bin.crc")))
    }.toVector

  private def plan(pieces: Vector[Piece]) =
    MergePlan(hadoopPath("out.bin"), pieces, Strategy.Copy, Codec.Plain, pieces.size)

  private def run(plan: MergePlan, progress: MergeProgress = new MergeProgress): Copied = {
    val out = FileChannel.open(dir.resolve("out.bin"), CREATE_NEW, READ, WRITE)
    try ParallelCopy.run(raw, plan, out, progress)
    finally out.close()
  }

  test("whole parts of megabytes go in on two threads, each at its place, every byte checked") {
    val p = plan(parts())
    ParallelCopy.fits(p, resumedAt = 0) shouldBe true
    val progress = new MergeProgress
    progress.start("out.bin", sizes.size, sizes.sum.toLong)
    run(p, progress).bytes shouldBe sizes.sum
    readBytes("out.bin") shouldBe sizes.indices.flatMap(i => readBytes(name(i))).toArray
    progress.filesDone shouldBe sizes.size
    progress.bytesDone shouldBe sizes.sum
  }

  test("a damaged part is named by its bytes; a part of another length than listed is refused") {
    val pieces = parts()
    def flip(): Unit = {
      val flipped = (readBytes(name(4))((1 << 20) + 3) ^ 0xff).toByte
      val victim = FileChannel.open(dir.resolve(name(4)), WRITE)
      try victim.write(java.nio.ByteBuffer.wrap(Array(flipped)), (1L << 20) + 3)
      finally victim.close()
    }
    flip()
    intercept[MergeFailedException](run(plan(pieces))).getMessage should
      (include("part-00004.bin") and include(s"bytes ${1 << 20} to ${(1 << 20) + 512} do not match"))
    flip() // back as it was

    java.nio.file.Files.delete(dir.resolve("out.bin"))
    val longer = pieces.updated(2, pieces(2).asInstanceOf[Piece.Whole].copy(length = (5L << 20) + 1, checksum = None))
    intercept[MergeFailedException](run(plan(longer))).getMessage should
      (include("part-00002.bin changed while it was merged") and include(s"now ${5 << 20}"))

    java.nio.file.Files.delete(dir.resolve("out.bin"))
    val shorter = pieces.updated(2, pieces(2).asInstanceOf[Piece.Whole].copy(length = (5L << 20) - 1, checksum = None))
    intercept[MergeFailedException](run(plan(shorter))).getMessage should include("part-00002.bin changed")
  }

  test("a line break to add, a piece not whole, a resumed start, one piece or little data: copied in order") {
    val pieces = parts()
    val slice = Piece.Slice.from(hadoopPath(name(0)), 3L << 20, offset = 10)
    ParallelCopy.fits(plan(pieces), resumedAt = 0) shouldBe true
    ParallelCopy.fits(plan(pieces).copy(lineBreaks = Some(LineBreaks("\n", add = true))), resumedAt = 0) shouldBe false
    ParallelCopy.fits(plan(pieces.updated(0, slice)), resumedAt = 0) shouldBe false
    ParallelCopy.fits(plan(pieces), resumedAt = 5) shouldBe false
    ParallelCopy.fits(plan(pieces.take(1)), resumedAt = 0) shouldBe false
    ParallelCopy.fits(plan(pieces.take(2)), resumedAt = 0) shouldBe false // 3 MiB and a byte
  }
}
