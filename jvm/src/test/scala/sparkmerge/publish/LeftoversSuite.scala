package sparkmerge
package publish

import java.nio.file.{Files, Paths}

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Hidden files of merges that died are found by the next merge to the same target, and removed. */
class LeftoversSuite extends AnyFunSuite with Matchers with LocalFiles {

  /** A hidden file as a merge of `owner` would have named it, `ageMillis` ago. */
  private def leftover(target: String, owner: Owner, ageMillis: Long, suffix: String = "tmp"): String = {
    val name = s".$target.sparkmerge-${System.currentTimeMillis() - ageMillis}-${owner.tag}-x1.$suffix"
    if (suffix == "parts") write(s"$name/data/part-00000.csv", "parts\n") else write(name, "half a file")
    name
  }

  /** A pid that no process on this host has: above the kernel's largest. */
  private val deadPid = 4194304L + 17
  private val host = Owner.self.host

  test("the next merge removes what a killed merge of this host left, and keeps a live one's") {
    write("src/part-00000.csv", "a\n")
    val dead = leftover("out.csv", Owner(deadPid, host), 1000)
    val deadParts = leftover("out.csv", Owner(deadPid, host), 1000, "parts")
    val live = leftover("out.csv", Owner(1L, host), 1000) // init: alive for as long as the machine is
    val other = leftover("other.csv", Owner(deadPid, host), 1000)

    Calls.merge(path("src"), path("out.csv"), MergeOptions(), conf)

    read("out.csv") shouldBe "a\n"
    listing() should contain allOf (live, other)
    listing() should contain noneOf (dead, deadParts)
  }

  test("one from another host is removed only once a day old") {
    write("src/part-00000.csv", "a\n")
    val fresh = leftover("out.csv", Owner(deadPid, "0badc0de"), 60 * 1000)
    val old = leftover("out.csv", Owner(deadPid, "0badc0de"), Leftovers.StaleAfterMillis + 60 * 1000)
    Calls.merge(path("src"), path("out.csv"), MergeOptions(), conf)
    listing() should contain(fresh)
    listing() should not contain old
  }

  test("this JVM's own: kept while a merge works in it, removed once none does") {
    val mine = leftover("out.csv", Owner.self, 1000)
    val minePath = HiddenFiles.child(hadoopPath("."), mine)
    ShutdownCleanup.around(localFs, minePath) {
      Leftovers.clean(localFs, localFs, hadoopPath("out.csv")) shouldBe empty
    }
    Leftovers.clean(localFs, localFs, hadoopPath("out.csv")).map(_.getName) shouldBe Seq(mine)
  }

  test("the command line cleans a target, or a whole directory, on request") {
    leftover("one.csv", Owner(deadPid, host), 1000)
    leftover("two.csv", Owner(deadPid, host), 1000)
    leftover("three.csv", Owner(deadPid, host), 1000, "parts")
    write("keep.csv", "kept\n")
    Leftovers.clean(localFs, localFs, hadoopPath("one.csv")) should have size 1
    Leftovers.cleanDirectory(localFs, localFs, hadoopPath(".")) should have size 2
    listing() shouldBe Seq("keep.csv")
  }

  test("any legal file name is a target, a colon included") {
    write("src/part-00000.csv", "a\n")
    write("src/part-00001.csv", "b\n")
    Calls.merge(path("src"), path("at 12:00 é.csv"), MergeOptions(), conf).files shouldBe 2
    Calls.merge(path("src"), path("at 12:00 é.csv"), MergeOptions(overwrite = true), conf)
    read("at 12:00 é.csv") shouldBe "a\nb\n"
    listing().filter(_.contains("sparkmerge")) shouldBe empty
    Files.isRegularFile(Paths.get(path("at 12:00 é.csv"))) shouldBe true
  }

  test("hidden names carry the target, the time and the owner, and are read back") {
    val target = hadoopPath("out:1.csv")
    val made = HiddenFiles.beside(target, HiddenFiles.Kind.Copy)
    val parsed = HiddenFiles.parse(target.getParent, target.getName, made.getName).get
    (parsed.path, parsed.owner, parsed.kind) shouldBe ((made, Owner.self, HiddenFiles.Kind.Copy))
    System.currentTimeMillis() - parsed.millis should be < 60000L
    HiddenFiles.targetOf(made.getName) shouldBe Some("out:1.csv")
    HiddenFiles.parse(target.getParent, "out", made.getName) shouldBe None
  }

  test("look-alikes of our hidden names are left alone: another suffix, another type, or content we never write") {
    val stamp = s"${System.currentTimeMillis() - 1000}-$deadPid-$host-x1"
    write(s".notes.sparkmerge-$stamp.bak", "notes")
    write(s".notes.sparkmerge-0-1-00000000-x.tmp", "notes")
    write(s".photos.sparkmerge-$stamp.parts/photo.jpg", "a photo")
    write(s".dir.sparkmerge-$stamp.tmp/inside", "a file in a directory")
    val ours = leftover("out.csv", Owner(deadPid, host), 1000, "parts")
    val before = listing()

    MergeMain.clean(path("."), conf) should have size 1
    listing() shouldBe before.filterNot(_.startsWith(ours))
  }

  test("--clean of a directory looks into the folders under it, and a template's into the folders it writes") {
    leftover("top.csv", Owner(deadPid, host), 1000)
    write("out/V00/keep.csv", "kept\n")
    val nested = leftover("out/V00/x.csv".split('/').last, Owner(deadPid, host), 1000)
    val moved = java.nio.file.Files.move(dir.resolve(nested), dir.resolve(s"out/V00/$nested"))
    val work = leftover("v", Owner(deadPid, host), 1000, "parts")
    java.nio.file.Files.move(dir.resolve(work), dir.resolve(s"out/$work"))

    MergeMain.clean(path("out/{v}/x.csv"), conf).map(_.split('/').last) should
      contain theSameElementsAs Seq(nested, work)
    java.nio.file.Files.exists(moved) shouldBe false
    listing("out") shouldBe Seq("V00", "V00/keep.csv")
    MergeMain.clean(path("."), conf) should have size 1 // top.csv's, beside the folders
  }

  test("a checksum file that is none (no crc magic) is skipped with a warning, as Hadoop's reader does") {
    write("src/part-00000.csv", "a\n")
    write("src/.part-00000.csv.crc", "not a checksum file at all")
    write("src/part-00001.csv", "b\n")
    write("src/.part-00001.csv.crc", "cr")
    Calls.merge(path("src"), path("out.csv"), MergeOptions(), conf).files shouldBe 2
    read("out.csv") shouldBe "a\nb\n"
  }
}
