package sparkmerge

import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.objectstore.PartLimits
import sparkmerge.partitions.ManyMerges

class SettingsSuite extends AnyFunSuite with Matchers {

  private def configured(settings: (String, String)*): Configuration = {
    val conf = new Configuration(false)
    settings.foreach { case (key, value) => conf.set(key, value) }
    conf
  }

  test("the listed defaults are the ones the code uses") {
    val conf = new Configuration(false)
    conf.set("x", Settings.S3UploadPartSize.default)
    conf.set("y", Settings.S3MaxPartSize.default)
    PartLimits().uploadBytes.toLong shouldBe conf.getLongBytes("x", 0L)
    PartLimits().maxPart shouldBe conf.getLongBytes("y", 0L)
    PartLimits().threads shouldBe Settings.S3Threads.default.toInt
    PartLimits.of(new Configuration(false)) shouldBe PartLimits()
    val azure = PartLimits.of(new Configuration(false), PartLimits.Azure)
    azure shouldBe PartLimits.Azure.defaults
    azure.maxPart shouldBe 100L * 1048576
    azure.maxParts shouldBe 50000
    ManyMerges.DefaultThreads shouldBe 8
    an[InvalidOptionException] should be thrownBy
      PartLimits.of(configured(Settings.AzureMaxBlockSize.key -> "5G"), PartLimits.Azure)
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

  test("a store's server-side switch takes true or false, and refuses anything else by name") {
    import sparkmerge.objectstore.ServerSide
    val key = "sparkmerge.azure.server-side"
    ServerSide.setting(configured(), key) shouldBe None
    ServerSide.setting(configured(key -> " FALSE "), key) shouldBe Some(false)
    ServerSide.on(configured(key -> "true"), key) shouldBe true
    val refused = the[InvalidOptionException] thrownBy ServerSide.on(configured(key -> "flase"), key)
    refused.getMessage shouldBe "sparkmerge.azure.server-side must be true or false, not 'flase'"
  }
}
