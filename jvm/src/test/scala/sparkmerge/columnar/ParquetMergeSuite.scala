package sparkmerge
package columnar

import java.nio.file.{Files, StandardOpenOption}

import org.apache.hadoop.conf.Configuration
import org.apache.spark.sql.{DataFrame, Row}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.faults.FaultyFileSystem

/** Parquet parts joined into one file on local disk: read back by Spark, rows in order, nothing decoded. */
class ParquetMergeSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  /** Rows of many kinds: dictionary-encoded strings, decimals, timestamps, a nested struct and an array. */
  private def table(rows: Long, partitions: Int): DataFrame =
    spark
      .range(0, rows, 1, partitions)
      .selectExpr(
        "id",
        "CAST(id % 7 AS STRING) AS colour",
        "CAST(id / 3 AS DECIMAL(18, 3)) AS amount",
        "TIMESTAMP_SECONDS(1700000000 + id) AS at",
        "named_struct('n', id * 2, 'tags', array(CAST(id AS STRING), 'x')) AS nested"
      )

  private def rowsOf(df: DataFrame): Seq[Row] = df.collect().toSeq

  private def parts(relative: String): Seq[String] = listing(relative).filter(_.endsWith(".parquet"))

  test("the parts of a write become one file: its row groups theirs, the rows in their order") {
    val df = table(60000, 4)
    df.write.option("parquet.block.size", (256 * 1024).toString).parquet(path("src"))
    val result = Calls.merge(path("src"), path("out.parquet"), conf = conf)
    result.files shouldBe 4
    result.strategy shouldBe "copy"
    result.reason should include("row groups of 4 parts joined, none decoded")
    rowsOf(spark.read.parquet(path("out.parquet"))) shouldBe rowsOf(df)
    exists("src/_SUCCESS") shouldBe true // the source is kept
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
  }

  test("parts of megabytes, copied on two threads, become the same file: each part whole at its place") {
    // Random hex does not compress: over the 8 MiB from which ParallelCopy shares the copy between two threads.
    val df = spark.range(0, 80000, 1, 3).selectExpr("id", "sha2(CAST(id AS STRING), 512) AS h")
    df.write.parquet(path("big"))
    val names = parts("big").sorted
    val bytes = names.map(n => readBytes(s"big/$n"))
    bytes.map(_.length.toLong).sum should be > (8L << 20)
    Calls.merge(path("big"), path("out.parquet"), conf = conf)
    val merged = readBytes("out.parquet")
    bytes.scanLeft(0)(_ + _.length).zip(bytes).foreach { case (at, part) =>
      merged.slice(at, at + part.length).sameElements(part) shouldBe true
    }
    rowsOf(spark.read.parquet(path("out.parquet"))) shouldBe rowsOf(df)
  }

  test("write_single writes one Parquet file; filters read through its page indexes find the same rows") {
    val df = table(50000, 3)
    // Pages of 1,000 rows: a filter reads a few pages of a row group, found through the moved offset indexes.
    val pages = Map("compression" -> "zstd", "parquet.page.row.count.limit" -> "1000", "parquet.page.size" -> "4096")
    val result = Calls.write(df, path("one.parquet"), format = "parquet", options = pages)
    result.files shouldBe 3
    val merged = spark.read.parquet(path("one.parquet"))
    rowsOf(merged) shouldBe rowsOf(df)
    rowsOf(merged.where("id BETWEEN 12345 AND 12400 OR colour = '3' AND id > 49000")) shouldBe
      rowsOf(df.where("id BETWEEN 12345 AND 12400 OR colour = '3' AND id > 49000"))
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
  }

  test("an empty DataFrame becomes a valid Parquet file with the schema and no rows") {
    val df = table(0, 1)
    Calls.write(df, path("empty.parquet"), format = "parquet")
    df.write.parquet(path("directory"))
    val back = spark.read.parquet(path("empty.parquet"))
    back.schema shouldBe spark.read.parquet(path("directory")).schema // as Spark reads any Parquet: nullable
    back.count() shouldBe 0
  }

  test("parts of two writes are refused, naming the part that differs, and nothing is written") {
    table(100, 1).write.parquet(path("src"))
    spark.range(5).toDF("other").write.mode("append").parquet(path("src"))
    val error = intercept[HeaderMismatchException](Calls.merge(path("src"), path("out.parquet"), conf = conf))
    error.getMessage should include("another schema")
    error.getMessage should include("[other]")
    exists("out.parquet") shouldBe false
  }

  test("a damaged or truncated part is refused before anything is written") {
    table(1000, 2).write.parquet(path("src"))
    val victim = dir.resolve("src").resolve(parts("src").head)
    val channel = java.nio.channels.FileChannel.open(victim, StandardOpenOption.WRITE)
    try channel.truncate(Files.size(victim) - 3)
    finally channel.close()
    Files.deleteIfExists(victim.resolveSibling(s".${victim.getFileName}.crc"))
    val error = intercept[UnsupportedFormatException](Calls.merge(path("src"), path("out.parquet"), conf = conf))
    error.getMessage should include("is not a whole Parquet file")
    exists("out.parquet") shouldBe false
  }

  test("header is refused for Parquet parts, with the fix") {
    table(10, 1).write.parquet(path("src"))
    val error = intercept[InvalidOptionException](
      Calls.merge(path("src"), path("out.parquet"), MergeOptions(header = true), conf)
    )
    error.getMessage should include("merge without header")
  }

  test("the footer file of a killed merge is removed by the next merge to the target") {
    table(3000, 3).write.parquet(path("src"))
    // A day old, of a process id no system hands out: the merge that wrote it is gone.
    val stamp = s"${System.currentTimeMillis() - 25L * 3600 * 1000}-${4194304 + 17}-0badc0de-x1"
    write(s".out.parquet.sparkmerge-$stamp.footer", "half a footer")
    Calls.merge(path("src"), path("out.parquet"), conf = conf)
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
    spark.read.parquet(path("out.parquet")).count() shouldBe 3000
  }

  test("a part that shrinks after its footer was read is caught by the copy, and nothing is published") {
    table(3000, 3).write.parquet(path("src"))
    val victim = dir.resolve("src").resolve(parts("src")(1))
    Files.delete(victim.resolveSibling(s".${victim.getFileName}.crc")) // the length check, not the checksum's
    val faultyConf = new Configuration()
    faultyConf.setClass("fs.faulty.impl", classOf[FaultyFileSystem], classOf[org.apache.hadoop.fs.FileSystem])
    faultyConf.setBoolean("fs.faulty.impl.disable.cache", true)
    // The first file the merge creates is the joined footer's, once every footer is read: the part shrinks then.
    var shrunk = 0L
    FaultyFileSystem.changeAt("create", 1) { () =>
      val channel = java.nio.channels.FileChannel.open(victim, StandardOpenOption.WRITE)
      try channel.truncate(Files.size(victim) - 100)
      finally channel.close()
      shrunk = Files.size(victim)
    }
    val outcome =
      try Right(Calls.merge(s"faulty://${path("src")}", s"faulty://${path("out.parquet")}", conf = faultyConf))
      catch { case e: Exception => Left(e) }
    FaultyFileSystem.disarm()
    shrunk should be > 0L
    outcome.left.map(_.getClass.getSimpleName) shouldBe Left("MergeFailedException")
    outcome.left.foreach(e => info(e.getMessage))
    exists("out.parquet") shouldBe false
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
  }
}
