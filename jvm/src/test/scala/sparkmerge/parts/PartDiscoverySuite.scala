package sparkmerge
package parts

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Paths}

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class PartDiscoverySuite extends AnyFunSuite with Matchers with LocalFiles {

  private def names(relative: String) = PartDiscovery.list(localFs, hadoopPath(relative)).map(_.name)

  test("side entries of Spark and Hadoop are never parts") {
    Seq(
      "_SUCCESS",
      "_committed_123",
      "_started_123",
      "_temporary/0/part-00009.csv",
      ".spark-staging-1/part-00008.csv",
      ".part-00000.csv.crc",
      "part-00000.csv.crc",
      ".hidden"
    ).foreach(name => write(s"src/$name", "x\n"))
    write("src/part-00001.csv", "b\n")
    write("src/part-00000.csv", "a\n")
    names("src") shouldBe Seq("part-00000.csv", "part-00001.csv")
  }

  test("parts are the files a reader finds, whatever characters their names and directory hold") {
    val names = Seq("part-00000-a.csv", "part-00001 b%20.csv", "part-00002-é.csv")
    names.foreach(name => write(s"my dir %41/$name", s"$name\n"))
    // The raw local file system is the one that lists through java.nio.
    val parts = PartDiscovery.list(DataFileSystem.of(localFs), hadoopPath("my dir %41"))
    parts.map(_.name) shouldBe names
    parts.map(p => new String(Files.readAllBytes(Paths.get(p.path.toUri)), UTF_8)) shouldBe names.map(_ + "\n")
    parts.map(_.path) shouldBe names.map(name => new Path(hadoopPath("my dir %41"), name))
  }

  test("a missing source is named in the error") {
    val e = intercept[SourceNotFoundException](names("missing"))
    e.getMessage should include(path("missing"))
  }

  test("a source with no data files is empty, unless the caller allows it") {
    write("src/_SUCCESS", "")
    val e = intercept[EmptySourceException](names("src"))
    e.getMessage should include(path("src"))
    PartDiscovery.list(localFs, hadoopPath("src"), allowEmpty = true) shouldBe empty
  }

  test("sub-directories, as a partitioned write leaves, are refused") {
    write("src/country=FR/part-00000.csv", "a\n")
    write("src/part-00000.csv", "a\n")
    val e = intercept[InvalidLayoutException](names("src"))
    e.getMessage should (include("country=FR") and include("partitioned"))
  }

  test("a file is not a source directory") {
    write("src/part-00000.csv", "a\n")
    intercept[InvalidLayoutException](names("src/part-00000.csv")).getMessage should include("not a directory")
  }
}
