package sparkmerge
package writer

import org.apache.spark.sql.SaveMode
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** The DataFrame writer's options are checked before any job runs, and take what Spark takes. */
class WriteSpecSuite extends AnyFunSuite with Matchers {

  private def spec(options: Map[String, String] = Map.empty, format: String = "csv", mode: String = "overwrite") =
    WriteSpec.parse("/out.csv", format, mode, options)

  test("header is true or false, in any case, as Spark reads it; anything else is refused") {
    spec(Map("header" -> "TRUE")).header shouldBe true
    spec(Map("Header" -> "false")).header shouldBe false
    Seq("yes", "1", " true", "").foreach { value =>
      intercept[InvalidOptionException](spec(Map("header" -> value))).getMessage should include(s"'$value'")
    }
    spec(Map("header" -> "yes"), format = "json").header shouldBe false // only CSV reads it
  }

  test("save modes with Spark's names; append and unknown ones refused") {
    spec(mode = "ErrorIfExists").mode shouldBe SaveMode.ErrorIfExists
    spec(mode = "default").mode shouldBe SaveMode.ErrorIfExists
    spec(mode = "ignore").mode shouldBe SaveMode.Ignore
    intercept[InvalidOptionException](spec(mode = "append")).getMessage should include("append")
    intercept[InvalidOptionException](spec(mode = "upsert")).getMessage should include("mode must be one of")
  }

  test("codecs: joinable ones pass, others are refused, unknown ones are not Spark's") {
    Seq("gzip", "GZIP", "bzip2", "none", "uncompressed", "org.apache.hadoop.io.compress.GzipCodec")
      .foreach(codec => spec(Map("compression" -> codec)))
    Seq("snappy", "lz4", "deflate", "org.apache.hadoop.io.compress.SnappyCodec").foreach { codec =>
      intercept[UnsupportedFormatException](spec(Map("compression" -> codec))).getMessage should include(codec)
    }
    intercept[InvalidOptionException](spec(Map("codec" -> "zstd"))).getMessage should include("no such codec")
    // Hadoop writes zstd only through its native library, which a pip-installed Spark does not load.
    if (!org.apache.hadoop.io.compress.ZStandardCodec.isNativeCodeLoaded)
      intercept[UnsupportedFormatException](
        spec(Map("compression" -> "org.apache.hadoop.io.compress.ZStandardCodec"))
      ).getMessage should include("native")
  }

  test("formats: the line formats, Parquet and ORC; the session's copy-ahead setting is a flag too") {
    spec(format = " JSON ").format shouldBe "json"
    spec(format = "Parquet").format shouldBe "parquet"
    spec(format = "ORC").format shouldBe "orc"
    intercept[UnsupportedFormatException](spec(format = "delta")).getMessage should include("coalesce")
    WriteSpec.flag(WriteSpec.CopyAheadConf, "FALSE", "/out.csv") shouldBe false
    intercept[InvalidOptionException](WriteSpec.flag(WriteSpec.CopyAheadConf, "off", "/out.csv"))
  }
}
