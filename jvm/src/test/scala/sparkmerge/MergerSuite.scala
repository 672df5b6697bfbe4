package sparkmerge

import java.nio.file.{Files, Paths}

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.format.Codec
import sparkmerge.parts.DataFileSystem
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.{MergePlan, Piece, Strategy}
import sparkmerge.publish.Destination

class MergerSuite extends AnyFunSuite with Matchers with LocalFiles {

  private def merge(options: MergeOptions = MergeOptions(), source: String = "src", target: String = "out.csv") =
    Calls.merge(path(source), path(target), options, conf)

  /** What a failed merge must leave: the same entries, the same bytes. */
  private def unchangedBy(action: => Any): Unit = {
    val before = listing().map(name => name -> snapshot(name))
    action
    listing().map(name => name -> snapshot(name)) shouldBe before
  }

  /** Runs a plan made by hand, as the pipeline runs the planner's. */
  private def execute(plan: MergePlan, options: MergeOptions): MergeResult =
    MergePipeline.execute(
      plan,
      DataFileSystem.of(localFs),
      Destination.of(plan.target, conf),
      options,
      new MergeProgress()
    )

  private def snapshot(name: String): String =
    if (Files.isDirectory(dir.resolve(name))) "<dir>" else read(name)

  test("parts are joined byte for byte, in task order, at exactly the path asked for") {
    (0 until 120).foreach(i => write(f"src/part-$i%05d-u-c000.csv", s"row $i\n"))
    val result = merge()
    read("out.csv") shouldBe (0 until 120).map(i => s"row $i\n").mkString
    Files.isRegularFile(Paths.get(path("out.csv"))) shouldBe true
    result.files shouldBe 120
    result.bytes shouldBe Files.size(Paths.get(path("out.csv")))
    result.strategy shouldBe "copy"
    listing() should contain noneOf (".out.csv.crc", "out.csv.crc")
    listing().filter(_.contains("sparkmerge")) shouldBe empty
  }

  test("the header is kept once") {
    write("src/part-00000.csv", "id,name\n1,a\n")
    write("src/part-00001.csv", "id,name\n2,b\n")
    write("src/part-00002.csv", "id,name\n")
    write("src/part-00003.csv", "")
    merge(MergeOptions(header = true)).bytes shouldBe 16
    read("out.csv") shouldBe "id,name\n1,a\n2,b\n"
  }

  test("gzip parts: joined as they are, or recoded when their header goes") {
    writeBytes("src/part-00000.csv.gz", gzip("id\n1\n"))
    writeBytes("src/part-00001.csv.gz", gzip("id\n2\n"))
    writeBytes("src/part-00002.csv.gz", gzip("id\n"))
    merge(target = "all.csv.gz")
    decoded(Codec.Gzip, "all.csv.gz") shouldBe "id\n1\nid\n2\nid\n"
    merge(MergeOptions(header = true), target = "once.csv.gz")
    decoded(Codec.Gzip, "once.csv.gz") shouldBe "id\n1\n2\n"
  }

  test("bzip2 and zstd parts join into one readable stream") {
    Seq(Codec.Bzip2, Codec.Zstd).foreach { codec =>
      writeBytes(s"${codec.name}/part-00000.csv${codec.extension}", encoded(codec, "h\n1\n"))
      writeBytes(s"${codec.name}/part-00001.csv${codec.extension}", encoded(codec, "h\n2\n"))
      merge(MergeOptions(header = true), source = codec.name, target = s"out${codec.extension}")
      decoded(codec, s"out${codec.extension}") shouldBe "h\n1\n2\n"
    }
  }

  test("an existing target is an error, and nothing changes") {
    write("src/part-00000.csv", "new\n")
    write("out.csv", "old\n")
    unchangedBy {
      intercept[TargetExistsException](merge()).getMessage should include(path("out.csv"))
    }
  }

  test("overwrite replaces the target in one rename and leaves nothing beside it") {
    write("src/part-00000.csv", "new\n")
    write("out.csv", "old\n")
    merge(MergeOptions(overwrite = true))
    read("out.csv") shouldBe "new\n"
    listing() shouldBe Seq("out.csv", "src", "src/part-00000.csv")
  }

  test("overwriting a file written through the checksummed file system leaves no stale checksum") {
    val old = localFs.create(hadoopPath("out.csv"))
    old.write("old\n".getBytes)
    old.close()
    exists(".out.csv.crc") shouldBe true
    write("src/part-00000.csv", "brand new\n")
    merge(MergeOptions(overwrite = true))
    exists(".out.csv.crc") shouldBe false
    val in = localFs.open(hadoopPath("out.csv")) // verifies a checksum if one were left
    try new String(in.readAllBytes()) shouldBe "brand new\n"
    finally in.close()
  }

  test("a directory at the target is never replaced") {
    write("src/part-00000.csv", "new\n")
    write("out.csv/part-00000.csv", "old\n")
    unchangedBy {
      intercept[InvalidLayoutException](merge(MergeOptions(overwrite = true))).getMessage should include("directory")
    }
  }

  test("delete source removes the source only after the target is in place") {
    write("src/part-00000.csv", "a\n")
    write("src/_SUCCESS", "")
    val result = merge(MergeOptions(deleteSource = true), target = "nested/new/out.csv")
    read("nested/new/out.csv") shouldBe "a\n"
    // The raw local file system offers a concat that overwrites the target and keeps the sources: never used.
    (result.strategy, result.reason) shouldBe (("copy", "concat is trusted on hdfs only, not on file"))
    exists("src") shouldBe false
  }

  test("a refused merge with delete source keeps the source") {
    write("src/part-00000.csv", "h1\na\n")
    write("src/part-00001.csv", "h2\nb\n")
    unchangedBy {
      intercept[HeaderMismatchException](merge(MergeOptions(header = true, deleteSource = true)))
    }
  }

  test("a target inside the source, or the source itself, is refused before anything happens") {
    write("src/part-00000.csv", "a\n")
    unchangedBy {
      intercept[InvalidLayoutException](merge(MergeOptions(deleteSource = true), target = "src/merged.csv"))
      intercept[InvalidLayoutException](merge(MergeOptions(overwrite = true), target = "src"))
    }
  }

  test("a part that vanishes during the copy fails the merge, and the target and other parts are untouched") {
    write("src/part-00000.csv", "a\n")
    write("out.csv", "old\n")
    val plan = MergePlan(
      hadoopPath("out.csv"),
      Vector(Piece.Whole(hadoopPath("src/part-00000.csv"), 2), Piece.Whole(hadoopPath("src/gone.csv"), 2)),
      Strategy.Copy,
      Codec.Plain,
      files = 2
    )
    unchangedBy {
      val e = intercept[MergeFailedException](execute(plan, MergeOptions(overwrite = true)))
      e.getMessage should (include(path("out.csv")) and include("unchanged"))
    }
  }

  test("a merged length that does not add up is never published") {
    write("src/part-00000.csv", "grown since listed\n")
    val plan = MergePlan(
      hadoopPath("out.csv"),
      Vector(Piece.Whole(hadoopPath("src/part-00000.csv"), 5)),
      Strategy.Copy,
      Codec.Plain,
      files = 1
    )
    unchangedBy {
      intercept[MergeFailedException](execute(plan, MergeOptions())).getMessage should include(
        "bytes"
      )
    }
  }

  test("the progress counters end at the totals, header bytes included") {
    write("src/part-00000.csv", "h\n" + "1\n" * 1000)
    write("src/part-00001.csv", "h\n" + "2\n" * 1000)
    val progress = new MergeProgress(logEveryMillis = 0)
    Calls.merge(path("src"), path("out.csv"), MergeOptions(header = true), conf, progress)
    (progress.filesDone, progress.filesTotal, progress.bytesDone, progress.bytesTotal) shouldBe ((2, 2, 4004, 4004))
    progress.isFinished shouldBe true
  }

  test("a target inside the source through a link is refused, and delete source deletes nothing") {
    write("src/part-00000.csv", "a\n")
    Files.createDirectories(dir.resolve("exports"))
    Files.createSymbolicLink(dir.resolve("exports/inside"), dir.resolve("src"))
    unchangedBy {
      intercept[InvalidLayoutException](
        merge(MergeOptions(deleteSource = true), target = "exports/inside/merged.csv")
      ).getMessage should include("inside the source")
    }
  }

  test("a part that cannot be read is named, with why, in one line") {
    write("src/part-00000.csv", "a\n")
    Files.createSymbolicLink(dir.resolve("src/part-00001.csv"), dir.resolve("nowhere.csv"))
    val e = intercept[MergeFailedException](merge())
    e.getMessage should (include("part-00001.csv") and include("no such file"))
    e.getMessage.linesIterator.size shouldBe 1
  }

  test("a damaged gzip part found while planning is named") {
    writeBytes("src/part-00000.csv.gz", gzip("h\n1\n"))
    writeBytes("src/part-00001.csv.gz", "not gzip at all".getBytes)
    val e = intercept[MergeFailedException](merge(MergeOptions(header = true)))
    e.getMessage should (include("part-00001.csv.gz") and include("gzip"))
  }

  test("paths with spaces and non-ASCII characters") {
    write("dossier source/part-00000.csv", "é\n")
    write("dossier source/part-00001.csv", "ü\n")
    merge(source = "dossier source", target = "résultat final/fusionné.csv")
    read("résultat final/fusionné.csv") shouldBe "é\nü\n"
  }
}
