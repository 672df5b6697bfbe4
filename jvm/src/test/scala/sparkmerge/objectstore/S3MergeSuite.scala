package sparkmerge
package objectstore

import java.io.ByteArrayOutputStream
import java.nio.charset.StandardCharsets.UTF_8
import java.util.zip.GZIPOutputStream

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.parts.{DataFileSystem, PartDiscovery}
import sparkmerge.pipeline.MergePipeline
import sparkmerge.plan.{MergePlanner, MergeRequest, Strategy}
import sparkmerge.publish.{Destination, Owner}

/** Merges on a real S3 server through S3A: the store copies the parts' ranges, and the object appears whole. */
class S3MergeSuite extends AnyFunSuite with Matchers with S3Server {

  private val MiB = 1 << 20

  /** A CSV part of about `bytes`, its rows numbered from `first`, starting with a header if asked. */
  private def rows(first: Int, bytes: Int, header: Boolean): Array[Byte] = {
    val out = new StringBuilder(if (header) "id,payload\n" else "")
    var i = first
    while (out.length < bytes) {
      out.append(f"$i%09d,${"x" * 40}\n")
      i += 1
    }
    out.toString.getBytes(UTF_8)
  }

  private def merge(source: String, target: String, options: MergeOptions = MergeOptions()): MergeResult =
    Calls.merge(source, target, options, s3Conf)

  private def uploadsTo(target: String): Seq[(String, Long)] = {
    val fs = new Path(target).getFileSystem(s3Conf)
    val store = S3AStores.of(fs, s3Conf).toOption.get
    store.uploads(store.key(new Path(target)))
  }

  test("large parts become copied ranges, a header dropped by the range, and little goes through this JVM") {
    val dir = s3Prefix()
    val parts = (0 until 3).map(i => rows(i * 1000000, 6 * MiB, header = true))
    parts.zipWithIndex.foreach { case (bytes, i) => s3Write(f"$dir/src/part-$i%05d.csv", bytes) }
    val result = merge(s"$dir/src", s"$dir/out.csv", MergeOptions(header = true))
    val header = "id,payload\n".getBytes(UTF_8).length
    s3Read(s"$dir/out.csv") shouldBe parts.head ++ parts.tail.flatMap(_.drop(header))
    result.strategy shouldBe "server-side"
    result.reason should include("the store copied")
    result.reason should (not include "concat" and not include "delete")
    s3Exists(s"$dir/src/part-00001.csv") shouldBe true
    uploadsTo(s"$dir/out.csv") shouldBe empty
  }

  test("runs of small parts are gathered into parts of 5 MiB, in order across 200 parts") {
    val dir = s3Prefix()
    // Small parts between large ones: each run is uploaded, topped up from the next large part where short.
    val parts = (0 until 200).map { i =>
      val size = if (i % 50 == 49) 7 * MiB else 40 * 1024 + i
      rows(i * 1000000, size, header = false)
    }
    parts.zipWithIndex.foreach { case (bytes, i) => s3Write(f"$dir/src/part-$i%05d", bytes) }
    val result = merge(s"$dir/src", s"$dir/out.csv")
    s3Read(s"$dir/out.csv") shouldBe parts.flatten.toArray
    result.files shouldBe 200
    result.strategy shouldBe "server-side"
  }

  test("a part longer than the largest part size is copied as several ranges") {
    val dir = s3Prefix()
    val big = rows(0, 30 * MiB, header = false) // over sparkmerge.s3.max-part-size (12M): three ranges
    val small = rows(5000000, 1000, header = false)
    s3Write(s"$dir/src/part-00000", big)
    s3Write(s"$dir/src/part-00001", small)
    merge(s"$dir/src", s"$dir/out.csv")
    s3Read(s"$dir/out.csv") shouldBe big ++ small
  }

  test("gzip parts are joined as they are; with a header they are decoded and uploaded") {
    val dir = s3Prefix()
    val text = (0 until 3).map(i => new String(rows(i * 1000000, 2 * MiB, header = true), UTF_8))
    text.zipWithIndex.foreach { case (t, i) => s3Write(f"$dir/src/part-$i%05d.csv.gz", gzip(t)) }
    merge(s"$dir/src", s"$dir/whole.csv.gz")
    gunzip(s3Read(s"$dir/whole.csv.gz")) shouldBe text.mkString
    merge(s"$dir/src", s"$dir/headed.csv.gz", MergeOptions(header = true))
    gunzip(s3Read(s"$dir/headed.csv.gz")) shouldBe text.head + text.tail.map(_.stripPrefix("id,payload\n")).mkString
  }

  test("empty parts add nothing, and a source of only empty parts makes an empty object") {
    val dir = s3Prefix()
    s3Write(s"$dir/src/part-00000", Array.emptyByteArray)
    s3Write(s"$dir/src/part-00001", "a\nb\n".getBytes(UTF_8))
    s3Write(s"$dir/src/part-00002", Array.emptyByteArray)
    merge(s"$dir/src", s"$dir/out.csv")
    new String(s3Read(s"$dir/out.csv"), UTF_8) shouldBe "a\nb\n"
    s3Write(s"$dir/empty/part-00000", Array.emptyByteArray)
    merge(s"$dir/empty", s"$dir/empty.csv")
    s3Read(s"$dir/empty.csv") shouldBe empty
  }

  test("two merges racing for one key without overwrite: exactly one wins, the other's upload is dropped") {
    val dir = s3Prefix()
    val a = rows(0, 6 * MiB, header = false)
    val b = rows(9000000, 6 * MiB, header = false)
    s3Write(s"$dir/a/part-00000", a)
    s3Write(s"$dir/b/part-00000", b)
    // The hard case, made certain: both have passed the early check and staged their uploads when one completes.
    val target = new Path(s"$dir/out.csv")
    val staged = Seq("a", "b").map { name =>
      val destination = Destination.of(target, s3Conf)
      val source = new Path(s"$dir/$name").getFileSystem(s3Conf)
      val request = MergeRequest(source, source.makeQualified(new Path(s"$dir/$name")))
      val plan = MergePlanner.plan(request, PartDiscovery.list(source, request.directory), destination)
      destination.checkTarget(overwrite = false)
      destination.write(plan, source, 1 << 20, new MergeProgress())
    }
    uploadsTo(s"$dir/out.csv") should have size 2
    staged.head.publish(overwrite = false)
    intercept[TargetExistsException](staged(1).publish(overwrite = false))
    s3Read(s"$dir/out.csv") shouldBe a
    uploadsTo(s"$dir/out.csv") shouldBe empty
  }

  test("an existing object is kept without overwrite, and replaced whole with it") {
    val dir = s3Prefix()
    s3Write(s"$dir/src/part-00000", rows(0, 6 * MiB, header = false))
    s3Write(s"$dir/out.csv", "old\n".getBytes(UTF_8))
    intercept[TargetExistsException](merge(s"$dir/src", s"$dir/out.csv"))
    new String(s3Read(s"$dir/out.csv"), UTF_8) shouldBe "old\n"
    merge(s"$dir/src", s"$dir/out.csv", MergeOptions(overwrite = true))
    s3Read(s"$dir/out.csv") shouldBe s3Read(s"$dir/src/part-00000")
  }

  test("a part gone during the merge: no object, no upload left, the other parts kept") {
    val dir = s3Prefix()
    (0 until 3).foreach(i => s3Write(f"$dir/src/part-$i%05d", rows(i * 1000000, 6 * MiB, header = false)))
    val target = new Path(s"$dir/out.csv")
    val destination = Destination.of(target, s3Conf)
    val source = new Path(s"$dir/src").getFileSystem(s3Conf)
    val request = MergeRequest(DataFileSystem.of(source), source.makeQualified(new Path(s"$dir/src")))
    val plan = MergePlanner.plan(request, PartDiscovery.list(request.fs, request.directory), destination)
    plan.strategy shouldBe Strategy.ServerSide
    source.delete(new Path(s"$dir/src/part-00001"), false)
    intercept[MergeFailedException](
      MergePipeline.execute(plan, request.fs, destination, MergeOptions(), new MergeProgress())
    ).getMessage should include("unchanged")
    s3Exists(s"$dir/out.csv") shouldBe false
    uploadsTo(s"$dir/out.csv") shouldBe empty
    s3Exists(s"$dir/src/part-00002") shouldBe true
  }

  test("parts in another bucket are uploaded through this JVM, and the reason says so") {
    val dir = s3Prefix()
    val other = s"s3a://$otherBucket/${new Path(dir).getName}"
    val parts = (0 until 2).map(i => rows(i * 1000000, 6 * MiB, header = false))
    parts.zipWithIndex.foreach { case (bytes, i) => s3Write(f"$other/src/part-$i%05d", bytes) }
    val result = merge(s"$other/src", s"$dir/out.csv")
    s3Read(s"$dir/out.csv") shouldBe parts.flatten.toArray
    result.strategy shouldBe "copy"
    result.reason should include("not in the target's bucket")
  }

  test("with the store's copies off, the copy streams into the target's key and appears only when whole") {
    val dir = s3Prefix()
    val conf = s3Conf
    conf.setBoolean(S3AStores.ServerSideKey, false)
    val parts = (0 until 2).map(i => rows(i * 1000000, 3 * MiB, header = true))
    parts.zipWithIndex.foreach { case (bytes, i) => s3Write(f"$dir/src/part-$i%05d.csv", bytes) }
    val result = Calls.merge(s"$dir/src", s"$dir/out.csv", MergeOptions(header = true), conf)
    s3Read(s"$dir/out.csv") shouldBe parts.head ++ parts(1).drop("id,payload\n".length)
    result.strategy shouldBe "copy"
    result.reason should include("turned off")
    intercept[TargetExistsException](Calls.merge(s"$dir/src", s"$dir/out.csv", MergeOptions(), conf))

    // A part gone mid-merge: the stream is aborted, and no object appears.
    val target = new Path(s"$dir/gone.csv")
    val destination = Destination.of(target, conf)
    destination shouldBe a[StreamingDestination]
    val source = new Path(s"$dir/src").getFileSystem(conf)
    val request = MergeRequest(source, source.makeQualified(new Path(s"$dir/src")))
    val plan = MergePlanner.plan(request, PartDiscovery.list(source, request.directory), destination)
    source.delete(new Path(s"$dir/src/part-00001.csv"), false)
    intercept[MergeFailedException](
      MergePipeline.execute(plan, source, destination, MergeOptions(), new MergeProgress())
    )
    s3Exists(s"$dir/gone.csv") shouldBe false
    uploadsTo(s"$dir/gone.csv") shouldBe empty
  }

  test("the uploads of merges killed outright are aborted by the next merge to the key, a live merge's kept") {
    val dir = s3Prefix()
    s3Write(s"$dir/src/part-00000", "a\n".getBytes(UTF_8))
    val store = S3AStores.of(new Path(dir).getFileSystem(s3Conf), s3Conf).toOption.get
    def key(name: String) = store.key(new Path(s"$dir/$name"))
    // An upload and its record as the merge of process `pid` of this host leaves them, killed mid-way.
    def killedMid(name: String, pid: Long): String = {
      val upload = store.start(key(name))
      val stamp = s"${System.currentTimeMillis()}-${Owner(pid, Owner.self.host).tag}-x1"
      s3Write(s"$dir/.$name.sparkmerge-$stamp.upload", upload.getBytes(UTF_8))
      upload
    }
    val deadPid = 4194304L + 17 // above the kernel's largest pid: no process has it
    val dead = killedMid("out.csv", deadPid)
    val live = killedMid("out.csv", 1L) // init: alive for as long as the machine is
    val unrecorded = store.start(key("out.csv")) // killed before its record was written: only its age can tell
    uploadsTo(s"$dir/out.csv").map(_._1) should contain(dead)

    merge(s"$dir/src", s"$dir/out.csv", MergeOptions(overwrite = true))

    new String(s3Read(s"$dir/out.csv"), UTF_8) shouldBe "a\n"
    uploadsTo(s"$dir/out.csv").map(_._1) should contain theSameElementsAs Seq(live, unrecorded)
    // Of the records only the live merge's is left: the dead merge's went, and this merge's own.
    def hidden() = new Path(dir)
      .getFileSystem(s3Conf)
      .listStatus(new Path(dir))
      .map(_.getPath.getName)
      .toSeq
      .filter(_.startsWith("."))
    hidden() should have size 1
    hidden().head should include(s"-1-${Owner.self.host}-")

    // The command line, given the directory, does the same for every target in it.
    killedMid("two.csv", deadPid)
    MergeMain.clean(dir, s3Conf) should have size 1
    uploadsTo(s"$dir/two.csv") shouldBe empty
    hidden() should have size 1
    Seq(live, unrecorded).foreach(store.abort(key("out.csv"), _))
  }

  private def gzip(text: String): Array[Byte] = {
    val bytes = new ByteArrayOutputStream()
    val out = new GZIPOutputStream(bytes)
    out.write(text.getBytes(UTF_8))
    out.close()
    bytes.toByteArray
  }

  private def gunzip(bytes: Array[Byte]): String = {
    val in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))
    try new String(in.readAllBytes(), UTF_8)
    finally in.close()
  }
}
