package sparkmerge
package plan

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.format.Codec
import sparkmerge.parts.{DataFileSystem, PartDiscovery}
import sparkmerge.publish.Destination

class MergePlanSuite extends AnyFunSuite with Matchers with LocalFiles {

  private def plan(relative: String, headers: Boolean = false): MergePlan = {
    val fs = DataFileSystem.of(localFs)
    val parts = PartDiscovery.list(fs, hadoopPath(relative))
    MergePlanner.plan(
      MergeRequest(fs, hadoopPath(relative), headers = headers),
      parts,
      Destination.of(hadoopPath("out.csv"), conf)
    )
  }

  test("a plan is a value: its length and description come without a file system") {
    val p = MergePlan(
      new Path("/t/out.csv"),
      Vector(Piece.Whole(new Path("/s/part-0"), 10), Piece.Slice.from(new Path("/s/part-1"), 12, 4)),
      Strategy.Copy,
      Codec.Plain,
      files = 2
    )
    p.expectedBytes shouldBe Some(18)
    p.describe should (include("merge 2 files into /t/out.csv by copy") and include("bytes 4 to 12 of /s/part-1"))
    p.copy(pieces = p.pieces :+ Piece.Recoded(new Path("/s/part-2.gz"), 30, 4, Codec.Gzip)).expectedBytes shouldBe None
  }

  test("with header, later parts lose their first line; empty and header-only parts add nothing") {
    write("src/part-00000.csv", "id,name\n1,a\n")
    write("src/part-00001.csv", "")
    write("src/part-00002.csv", "id,name\n")
    write("src/part-00003.csv", "id,name\n2,b\n")
    val pieces = plan("src", headers = true).pieces
    pieces.map(p => (p.path.getName, p.getClass.getSimpleName)) shouldBe
      Seq("part-00000.csv" -> "Whole", "part-00003.csv" -> "Slice")
    pieces.last shouldBe Piece.Slice.from(hadoopPath("src/part-00003.csv"), 12, 8)
  }

  test("a rendered header goes first and is no file of the caller's: the pieces stand for the parts alone") {
    write("header/header.csv", "id,name\n")
    write("src/part-00000.csv", "1,a\n")
    write("src/part-00001.csv", "2,b\n")
    val fs = DataFileSystem.of(localFs)
    val leading = PartDiscovery.list(fs, hadoopPath("header"))
    val p = MergePlanner.plan(
      MergeRequest(fs, hadoopPath("src"), leading),
      PartDiscovery.list(fs, hadoopPath("src")),
      Destination.of(hadoopPath("out.csv"), conf)
    )
    p.pieces.map(_.path.getName) shouldBe Seq("header.csv", "part-00000.csv", "part-00001.csv")
    p.pieces.map(_.files).sum shouldBe p.files
    p.files shouldBe 2
  }

  test("a header is a CSV record: a line break inside quotes does not end it") {
    val header = "\"a\nb\",\"x\\\"\ny\",\"p\"\"\nq\"\n"
    write("src/part-00000.csv", header + "1,2,3\n")
    write("src/part-00001.csv", header + "4,5,6\n")
    plan("src", headers = true).pieces.last shouldBe
      Piece.Slice.from(hadoopPath("src/part-00001.csv"), header.length + 6, header.length)
  }

  test("the first non-empty part gives the header") {
    write("src/part-00000.csv", "")
    write("src/part-00001.csv", "h\r\n1\r\n")
    write("src/part-00002.csv", "h\r\n2\r\n")
    plan("src", headers = true).expectedBytes shouldBe Some(9)
  }

  test("compressed parts with a header are recoded, since a compressed stream cannot be cut") {
    writeBytes("src/part-00000.csv.gz", gzip("h\n1\n"))
    writeBytes("src/part-00001.csv.gz", gzip("h\n2\n"))
    val p = plan("src", headers = true)
    p.codec shouldBe Codec.Gzip
    p.pieces.last shouldBe a[Piece.Recoded]
    plan("src").pieces.forall(_.isInstanceOf[Piece.Whole]) shouldBe true
  }

  test("a part whose first line differs from the header is refused, naming both") {
    write("src/part-00000.csv", "id,name\n1,a\n")
    write("src/part-00001.csv", "id;name\n2;b\n")
    val e = intercept[HeaderMismatchException](plan("src", headers = true))
    e.getMessage should (include("part-00001.csv") and include("id;name") and include("'id,name\\n'"))
  }

  test("damaged Parquet, ORC and Avro parts are refused, told by extension or by their magic bytes") {
    write("a/part-00000-x.snappy.parquet", "PAR1....PAR1")
    intercept[UnsupportedFormatException](plan("a")).getMessage should include("Parquet")
    write("b/part-00000", "PAR1 some footer PAR1")
    intercept[UnsupportedFormatException](plan("b")).getMessage should include("Parquet")
    write("c/part-00000", "ORC\u0001\u0002 ... ORC\u0017")
    intercept[UnsupportedFormatException](plan("c")).getMessage should include("not a whole ORC file")
    write("d/part-00000.avro", "Obj\u0001...")
    intercept[UnsupportedFormatException](plan("d")).getMessage should include("not an Avro file")
    write("e/part-00000", "Obj\u0001\u0002\u0004ab\u0010")
    intercept[UnsupportedFormatException](plan("e")).getMessage should include("header is cut short")
  }

  test("text that merely starts like a binary format is text") {
    write("src/part-00000.csv", "ORCID,name\n1,a\n")
    plan("src").pieces should have size 1
  }

  test("codecs whose streams do not join are refused, and so are mixed codecs") {
    write("a/part-00000.csv.snappy", "x")
    intercept[UnsupportedFormatException](plan("a")).getMessage should include("snappy")
    writeBytes("b/part-00000.csv.gz", gzip("1\n"))
    write("b/part-00001.csv", "2\n")
    intercept[UnsupportedFormatException](plan("b")).getMessage should (include("gzip-compressed") and include(
      "uncompressed"
    ))
  }
}
