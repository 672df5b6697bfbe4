package sparkmerge
package partitions

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class HdfsPartitionedMergeSuite extends AnyFunSuite with Matchers with MiniHdfs {

  test("each partition is concatenated into its own file on HDFS, and the source goes") {
    val rows = Map("FR" -> Seq("1\n", "2\n", "3\n"), "DE" -> Seq("4\n", "5\n"))
    for ((country, parts) <- rows; (row, i) <- parts.zipWithIndex)
      hdfsWrite(f"/p/src/country=$country/part-$i%05d-u-c000.csv", row)
    hdfsWrite("/p/src/_SUCCESS", "")

    val results = Calls.mergeMany(
      s"${hdfs.getUri}/p/src",
      s"${hdfs.getUri}/p/out/{country}.csv",
      MergeOptions(deleteSource = true),
      hdfsConf
    )

    results.map(_.strategy) shouldBe Seq("concat", "concat")
    hdfsRead("/p/out/FR.csv") shouldBe "1\n2\n3\n"
    hdfsRead("/p/out/DE.csv") shouldBe "4\n5\n"
    hdfs.exists(new Path("/p/src")) shouldBe false
  }

  test("on HDFS too, a .. value stays below its folder, a .crc value and a _ column keep their rows") {
    hdfsWrite("/h/x.csv", "the user's\n")
    hdfsWrite("/h/src/_v=../part-00000-u-c000.csv", "dots\n")
    hdfsWrite("/h/src/_v=x.crc/part-00000-u-c000.csv", "crc\n")
    hdfsWrite("/h/src/_v=x.crc/part-00001-u-c000.csv", "crc2\n")
    hdfsWrite("/h/src/_SUCCESS", "")

    val results = Calls.mergeMany(
      s"${hdfs.getUri}/h/src",
      s"${hdfs.getUri}/h/out/{_v}/x.csv",
      MergeOptions(overwrite = true),
      hdfsConf
    )

    results.map(_.files) shouldBe Seq(1, 2)
    hdfsRead("/h/x.csv") shouldBe "the user's\n"
    hdfsRead("/h/out/%2E./x.csv") shouldBe "dots\n"
    hdfsRead("/h/out/x.crc/x.csv") shouldBe "crc\ncrc2\n"
    hdfs.exists(new Path("/h/out/x.csv")) shouldBe false
  }

  test("on HDFS, of two sets racing for one template without overwrite exactly one lands") {
    for (writer <- Seq("a", "b"); v <- 0 until 6) hdfsWrite(s"/r/$writer/v=$v/part-00000-u-c000.csv", s"$writer$v\n")
    val (ra, rb) = Racing.both(
      Calls.mergeMany(s"${hdfs.getUri}/r/a", s"${hdfs.getUri}/r/out/{v}.csv", MergeOptions(), hdfsConf),
      Calls.mergeMany(s"${hdfs.getUri}/r/b", s"${hdfs.getUri}/r/out/{v}.csv", MergeOptions(), hdfsConf)
    )
    Seq(ra, rb).count(_.isSuccess) shouldBe 1
    Seq(ra, rb).find(_.isFailure).get.failed.get shouldBe a[TargetExistsException]
    val winner = if (ra.isSuccess) "a" else "b"
    (0 until 6).foreach(v => hdfsRead(s"/r/out/$v.csv") shouldBe s"$winner$v\n")
    hdfs.listStatus(new Path("/r/out")).map(_.getPath.getName).filter(_.contains(".sparkmerge-")) shouldBe empty
  }

  test("on HDFS, a target name of 244 bytes is written, and --clean takes only what is provably ours") {
    val name = "é" * 120 + ".csv"
    hdfsWrite("/l/src/v=1/part-00000-u-c000.csv", "a\n")
    hdfsWrite("/l/src/v=1/part-00001-u-c000.csv", "b\n")
    Calls.mergeMany(s"${hdfs.getUri}/l/src", s"${hdfs.getUri}/l/out/{v}$name", MergeOptions(), hdfsConf)
    hdfsRead(s"/l/out/1$name") shouldBe "a\nb\n"

    val stamp = s"${System.currentTimeMillis() - 25L * 3600 * 1000}-${4194304 + 17}-0badc0de-x1"
    hdfsWrite(s"/l/out/.notes.sparkmerge-$stamp.bak", "notes")
    hdfsWrite(s"/l/out/.photos.sparkmerge-$stamp.parts/photo.jpg", "a photo")
    hdfsWrite(s"/l/out/deeper/.y.csv.sparkmerge-$stamp.tmp", "half a file")
    MergeMain.clean(s"${hdfs.getUri}/l/out", hdfsConf).map(_.split('/').last) shouldBe Seq(
      s".y.csv.sparkmerge-$stamp.tmp"
    )
    hdfs.exists(new Path(s"/l/out/.notes.sparkmerge-$stamp.bak")) shouldBe true
    hdfs.exists(new Path(s"/l/out/.photos.sparkmerge-$stamp.parts/photo.jpg")) shouldBe true
  }

  test("on HDFS, merges that fail leave no folder of theirs, and keep the folders that were there") {
    def tree(dir: Path): Seq[String] =
      hdfs.listStatus(dir).toSeq.flatMap { s =>
        s.getPath.toUri.getPath +: (if (s.isDirectory) tree(s.getPath) else Nil)
      }
    // Each value's first part ends without its line break, and the policy is to refuse: each merge fails.
    for (v <- 1 to 2; i <- 0 to 1) hdfsWrite(s"/f/src/v=$v/part-0000$i-u-c000.csv", s"$v$i")
    hdfs.mkdirs(new Path("/f/out/empty"))
    val before = tree(new Path("/f"))
    val deep = "/f/out/" + (1 to 16).map(i => s"level$i").mkString("/") + "/{v}/x/data.csv"
    an[UnsupportedFormatException] should be thrownBy
      Calls.mergeMany(
        s"${hdfs.getUri}/f/src",
        s"${hdfs.getUri}$deep",
        MergeOptions(missingNewline = "refuse"),
        hdfsConf
      )
    tree(new Path("/f")) shouldBe before
  }
}
