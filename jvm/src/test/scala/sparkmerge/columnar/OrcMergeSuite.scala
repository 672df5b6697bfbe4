package sparkmerge
package columnar

import java.nio.file.{Files, StandardOpenOption}

import org.apache.hadoop.fs.Path
import org.apache.orc.{OrcFile, Reader}
import org.apache.spark.sql.{DataFrame, Row}
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** ORC parts joined into one file on local disk: read back by Spark and by ORC's reader, nothing decoded. */
class OrcMergeSuite extends AnyFunSuite with Matchers with LocalFiles with LocalSpark {

  /** Rows of every kind ORC keeps statistics of, nulls among them, sorted by id. */
  private def table(rows: Long, partitions: Int): DataFrame =
    spark
      .range(0, rows, 1, partitions)
      .selectExpr(
        "id",
        "CAST(id % 7 AS STRING) AS colour",
        "id % 3 = 0 AS flag",
        "IF(id % 11 = 0, NULL, CAST(id AS INT)) AS maybe",
        "id * 0.5D AS half",
        "CAST(id / 3 AS DECIMAL(18, 3)) AS amount",
        "CAST(id AS DECIMAL(38, 10)) AS wide",
        "DATE_ADD(DATE'2020-01-01', CAST(id % 1000 AS INT)) AS day",
        "TIMESTAMP_SECONDS(1700000000 + id) AS at",
        "CAST(CAST(id AS STRING) AS BINARY) AS raw",
        "named_struct('n', id * 2, 'tags', array(CAST(id AS STRING), 'x')) AS nested",
        "map(CAST(id % 5 AS STRING), id) AS pairs"
      )

  private def rowsOf(df: DataFrame): Seq[Row] = df.collect().toSeq

  private def parts(relative: String): Seq[String] = listing(relative).filter(_.endsWith(".orc"))

  /** What `read` finds in a file through ORC's own reader, which is closed after. */
  private def withReader[T](relative: String)(read: Reader => T): T = {
    val reader = OrcFile.createReader(new Path(path(relative)), OrcFile.readerOptions(conf).filesystem(localFs))
    try read(reader)
    finally reader.close()
  }

  /**
   * A file's column statistics as ORC's reader gives them, without what the layout sets: the bytes on disk, and
   * a collection's children, which ORC's writer counts per batch of 1,024 rows, however the rows fall in them.
   */
  private def statistics(relative: String): Seq[String] =
    withReader(relative)(_.getStatistics.toSeq.map(_.toString.replaceAll("""(bytesOnDisk|totalChildren): \d+ ?""", "")))

  /** Each stripe's rows and column statistics, as ORC's reader gives them. */
  private def stripes(relative: String): Seq[(Long, Seq[String])] = withReader(relative) { file =>
    JavaLists
      .seq(file.getStripes)
      .map(_.getNumberOfRows)
      .zip(
        JavaLists.seq(file.getStripeStatistics).map(_.getColumnStatistics.toSeq.map(_.toString))
      )
  }

  test("the parts of a write become one file: its stripes theirs, the rows in their order, the statistics merged") {
    val df = table(60000, 4)
    df.write.option("orc.stripe.size", (64 * 1024).toString).orc(path("src"))
    df.coalesce(1).write.orc(path("single"))
    val result = Calls.merge(path("src"), path("out.orc"), conf = conf)
    result.files shouldBe 4
    result.strategy shouldBe "copy"
    result.reason should include("stripes of 4 parts joined, none decoded")
    result.reason should include("orc.stripe.size") // small stripes, and how to get larger ones
    rowsOf(spark.read.orc(path("out.orc"))) shouldBe rowsOf(df)
    withReader("out.orc")(file => (file.getNumberOfRows, file.getStripes.size > 4)) shouldBe ((60000L, true))
    // The file's statistics as one writer of all the rows keeps them.
    statistics("out.orc") shouldBe statistics(parts("single").map("single/" + _).head)
    // Each stripe's statistics, which readers such as Trino and Hive skip stripes by: the parts', in order.
    stripes("out.orc") shouldBe parts("src").flatMap(name => stripes(s"src/$name"))
    exists("src/_SUCCESS") shouldBe true // the source is kept
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
  }

  test("Spark answers count, min and max from the merged statistics as from the rows") {
    val df = table(30000, 3)
    Calls.write(df, path("one.orc"), format = "orc")
    // The aggregates Spark answers from ORC's footer alone, through its own ORC reader (version 2 of the source).
    val query = "SELECT count(*), min(id), max(id), max(maybe), min(half), max(flag), min(day), max(day) FROM t"
    df.createOrReplaceTempView("t")
    val expected = spark.sql(query).collect().toSeq
    spark.conf.set("spark.sql.orc.aggregatePushdown", "true")
    spark.conf.set("spark.sql.sources.useV1SourceList", "")
    try {
      spark.read.orc(path("one.orc")).createOrReplaceTempView("t")
      val plan = spark.sql(query).queryExecution.executedPlan.toString
      plan should include("PushedAggregation")
      spark.sql(query).collect().toSeq shouldBe expected
    } finally Seq("spark.sql.orc.aggregatePushdown", "spark.sql.sources.useV1SourceList").foreach(spark.conf.unset)
  }

  test("write_single writes one ORC file; filters read through its stripe statistics and row indexes") {
    val df = table(50000, 3)
    val small = Map("orc.stripe.size" -> "65536", "orc.row.index.stride" -> "1000", "compression" -> "zstd")
    val result = Calls.write(df, path("one.orc"), format = "orc", options = small)
    result.files shouldBe 3
    val merged = spark.read.orc(path("one.orc"))
    rowsOf(merged) shouldBe rowsOf(df)
    val filter = "id BETWEEN 12345 AND 12400 OR colour = '3' AND id > 49000"
    rowsOf(merged.where(filter)) shouldBe rowsOf(df.where(filter))
    val read = withReader("one.orc") { file =>
      val ids = org.apache.hadoop.hive.ql.io.sarg.SearchArgumentFactory
        .newBuilder()
        .between("id", org.apache.hadoop.hive.ql.io.sarg.PredicateLeaf.Type.LONG, 40000L, 40010L)
        .build()
      val rows = file.rows(file.options().searchArgument(ids, Array("id")))
      val batch = file.getSchema.createRowBatch()
      var count = 0L
      try while (rows.nextBatch(batch)) count += batch.size
      finally rows.close()
      count
    }
    read should be <= 1000L // one row group of the index, found through the moved stripe
    read should be >= 11L
    listing().filter(_.contains(".sparkmerge-")) shouldBe empty
  }

  test("every codec Spark writes ORC with is joined as it is") {
    val df = table(6000, 3)
    for (codec <- Seq("none", "uncompressed", "snappy", "zlib", "lzo", "lz4", "zstd")) {
      Calls.write(df, path(s"$codec.orc"), format = "orc", options = Map("compression" -> codec))
      rowsOf(spark.read.orc(path(s"$codec.orc"))) shouldBe rowsOf(df)
      val kind = withReader(s"$codec.orc")(_.getCompressionKind.toString)
      kind shouldBe (if (codec == "uncompressed") "NONE" else codec.toUpperCase(java.util.Locale.ROOT))
    }
  }

  test("an empty DataFrame becomes a valid ORC file with the schema and no rows") {
    val df = table(0, 1)
    Calls.write(df, path("empty.orc"), format = "orc")
    df.write.orc(path("directory"))
    val back = spark.read.orc(path("empty.orc"))
    back.schema shouldBe spark.read.orc(path("directory")).schema
    back.count() shouldBe 0
  }

  test("parts of two writes, or of two codecs, are refused, naming the part that differs, and nothing is written") {
    table(100, 1).write.orc(path("src"))
    spark.range(5).toDF("other").write.mode("append").orc(path("src"))
    val error = intercept[HeaderMismatchException](Calls.merge(path("src"), path("out.orc"), conf = conf))
    error.getMessage should include("another schema")
    error.getMessage should include("struct<other:bigint>")
    table(100, 1).write.option("compression", "zlib").orc(path("codecs"))
    table(100, 1).write.mode("append").option("compression", "snappy").orc(path("codecs"))
    val codecs = intercept[HeaderMismatchException](Calls.merge(path("codecs"), path("out.orc"), conf = conf))
    codecs.getMessage should include("compression")
    exists("out.orc") shouldBe false
  }

  test("a damaged or truncated part is refused before anything is written") {
    table(1000, 2).write.orc(path("src"))
    val victim = dir.resolve("src").resolve(parts("src").head)
    val channel = java.nio.channels.FileChannel.open(victim, StandardOpenOption.WRITE)
    try channel.truncate(Files.size(victim) - 3)
    finally channel.close()
    Files.deleteIfExists(victim.resolveSibling(s".${victim.getFileName}.crc"))
    val error = intercept[UnsupportedFormatException](Calls.merge(path("src"), path("out.orc"), conf = conf))
    error.getMessage should include("is not a whole ORC file")
    exists("out.orc") shouldBe false
  }

  test("header is refused for ORC parts, with the fix") {
    table(10, 1).write.orc(path("src"))
    val error = intercept[InvalidOptionException](
      Calls.merge(path("src"), path("out.orc"), MergeOptions(header = true), conf)
    )
    error.getMessage should include("merge without header")
  }
}
