package sparkmerge

import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.objectstore.PartLimits
import sparkmerge.partitions.ManyMerges

class SettingsSuite extends AnyFunSuite with Matchers {

  test("the listed defaults are the ones the code uses") {
    val conf = new Configuration(false)
    conf.set("x", Settings.S3UploadPartSize.default)
    conf.set("y", Settings.S3MaxPartSize.default)
    PartLimits().uploadBytes.toLong shouldBe conf.getLongBytes("x", 0L)
    PartLimits().maxPart shouldBe conf.getLongBytes("y", 0L)
    PartLimits().threads shouldBe Settings.S3Threads.default.toInt
    PartLimits.of(new Configuration(false)) shouldBe PartLimits()
    ManyMerges.DefaultThreads shouldBe 8
    Settings.CopyAhead.default shouldBe "true"
  }

  test("every key is listed once, and the README's settings table names each") {
    Settings.All.map(_.key).distinct should have length Settings.All.size.toLong
    // The tests run in the jvm directory or at the checkout's root, as sbt forks them.
    val readme = Seq("README.md", "../README.md")
      .map(java.nio.file.Paths.get(_))
      .find(java.nio.file.Files.exists(_))
      .map(path => new String(java.nio.file.Files.readAllBytes(path), "UTF-8"))
      .getOrElse(fail("README.md not found"))
    Settings.All.foreach(setting => readme should include(s"`${setting.key}`"))
  }
}
