package sparkmerge.writer

import java.util.Locale

import org.apache.spark.sql.SaveMode

import sparkmerge.{InvalidOptionException, Settings, UnsupportedFormatException}
import sparkmerge.columnar.ColumnarFormat
import sparkmerge.format.{ByteOrderMarks, Codec}

/**
 * What the DataFrame writer is asked to do, checked before any job runs. Its rules (the formats that can be
 * joined, the save modes, the codecs) live here and in [[Codec]] only; the Python wrapper passes the caller's
 * words through and maps the errors.
 *
 * @param format      the inner format Spark writes the parts in: csv, json, text or parquet
 * @param header      a CSV header, rendered once and put first
 * @param dataOptions the caller's options for the parts, without `header` and `bom`
 * @param mark        UTF-8's byte-order mark first, before the header (`bom`: for Excel)
 */
private[sparkmerge] final case class WriteSpec(
    format: String,
    mode: SaveMode,
    header: Boolean,
    dataOptions: Map[String, String],
    mark: Boolean = false
) {
  def overwrite: Boolean = mode == SaveMode.Overwrite
}

private[sparkmerge] object WriteSpec {

  /** Formats whose parts are lines of text, which join into one valid file. */
  val LineFormats: Seq[String] = Seq("csv", "json", "text")

  /** Formats whose parts are joined by a new footer over their blocks, none decoded ([[sparkmerge.columnar]]). */
  val ColumnarFormats: Seq[String] = ColumnarFormat.All.map(_.name.toLowerCase(Locale.ROOT))

  /** Formats whose parts are documents, joined into one by their rows ([[sparkmerge.plan.XmlPieces]]). */
  val DocumentFormats: Seq[String] = Seq("xml")

  /** Formats whose parts are containers of blocks, joined block by block, none decoded ([[sparkmerge.plan.AvroPieces]]). */
  val ContainerFormats: Seq[String] = Seq("avro")

  private def formats: Seq[String] = LineFormats ++ ColumnarFormats ++ DocumentFormats ++ ContainerFormats

  /** Whether the merge takes the parts whole, so that those of finished tasks can be copied while Spark writes. */
  def copiedWhole(format: String): Boolean = LineFormats.contains(format) || ColumnarFormats.contains(format)

  /** The class the external spark-avro module registers as the avro data source (on Spark 3.5 and 4). */
  private val AvroSource = "org.apache.spark.sql.v2.avro.AvroDataSourceV2"

  /** The session setting that turns copying ahead off: the way out, should a committer confuse it. */
  val CopyAheadConf: String = Settings.CopyAhead.key

  private val Modes: Seq[(String, SaveMode)] = Seq(
    "errorifexists" -> SaveMode.ErrorIfExists,
    "error" -> SaveMode.ErrorIfExists,
    "default" -> SaveMode.ErrorIfExists,
    "overwrite" -> SaveMode.Overwrite,
    "ignore" -> SaveMode.Ignore
  )

  /**
   * Whether to copy the parts of finished tasks while Spark writes the others (local disk only), as the
   * session's [[CopyAheadConf]] says; read once a call, at the door.
   */
  def copyAhead(session: org.apache.spark.sql.SparkSession, target: String): Boolean =
    flag(CopyAheadConf, session.conf.get(CopyAheadConf, Settings.CopyAhead.default), target)

  /** The caller's words, checked. */
  def parse(target: String, format: String, mode: String, options: Map[String, String]): WriteSpec = {
    val fmt = format.trim.toLowerCase(Locale.ROOT)
    if (!formats.contains(fmt))
      throw new UnsupportedFormatException(
        s"cannot write $target as one $format file: only ${formats.mkString(", ")} " +
          s"are joined into one; for others keep the directory, or use df.coalesce(1).write.format('$format')"
      )
    if (fmt == "xml") checkXml(options, target)
    if (fmt == "avro") checkAvro(target)
    // Parquet's codecs compress pages inside the file, which the join never opens: Spark checks those names.
    if (LineFormats.contains(fmt)) options.foreach { case (key, value) =>
      if (Set("compression", "codec").contains(key.toLowerCase(Locale.ROOT))) Codec.checkWriterOption(value, target)
    }
    ByteOrderMarks.checkOption(options, target)
    // Only CSV reads `header`; Spark's other formats let any value pass.
    val header = fmt == "csv" && options.exists { case (k, v) => k.equalsIgnoreCase("header") && flag(k, v, target) }
    val mark = options.exists { case (k, v) => k.equalsIgnoreCase("bom") && flag(k, v, target) }
    if (mark) {
      if (!MarkedFormats.contains(fmt))
        throw new InvalidOptionException(
          s"bom puts UTF-8's byte-order mark first, for Excel, in ${MarkedFormats.mkString(" or ")} files, and " +
            s"$target is $fmt: leave bom out"
        )
      ByteOrderMarks.checkUtf8(options, target)
    }
    WriteSpec(
      fmt,
      saveMode(mode, target),
      header,
      options.filterNot(o => o._1.equalsIgnoreCase("header") || o._1.equalsIgnoreCase("bom")),
      mark
    )
  }

  /** Formats a byte-order mark may start: JSON's standard forbids one (RFC 8259), and Parquet is no text. */
  private val MarkedFormats: Seq[String] = Seq("csv", "text")

  private def checkAvro(target: String): Unit = {
    val loaders = Seq(Thread.currentThread.getContextClassLoader, getClass.getClassLoader).filter(_ != null)
    if (!loaders.exists(loader => scala.util.Try(Class.forName(AvroSource, false, loader)).isSuccess)) {
      val line = scala.util.Properties.versionNumberString.split('.').take(2).mkString(".")
      throw new UnsupportedFormatException(
        s"cannot write $target as Avro: Spark's Avro writer is the external spark-avro module, which this " +
          s"session does not have; start it with spark.jars.packages=org.apache.spark:spark-avro_$line:" +
          s"${org.apache.spark.SPARK_VERSION} (or --packages), or write parquet"
      )
    }
  }

  // Spark 4's own format; its parts are joined by byte ranges, which a compressed stream does not have.
  private def checkXml(options: Map[String, String], target: String): Unit = {
    if (org.apache.spark.SPARK_VERSION.startsWith("3."))
      throw new UnsupportedFormatException(
        s"cannot write $target as XML: xml is a format of Spark 4, and this is Spark ${org.apache.spark.SPARK_VERSION}" +
          "; on Spark 3.5 write csv, json or parquet, or keep a directory of spark-xml's parts"
      )
    if (!options.exists(_._1.equalsIgnoreCase("rowTag")))
      throw new InvalidOptionException(
        s"cannot write $target as XML without rowTag, the element each row is written as, which Spark's writer " +
          "needs: rowTag=\"row\" (rootTag, the element around them, is ROWS unless given)"
      )
    options.foreach { case (key, value) =>
      val name = key.toLowerCase(Locale.ROOT)
      if (
        Set("compression", "codec")
          .contains(name) && !Set("none", "uncompressed").contains(value.toLowerCase(Locale.ROOT))
      )
        throw new UnsupportedFormatException(
          s"cannot write $target as XML with compression $value: the root element's tags are inside each part's " +
            "compressed stream, and compressed XML parts are not joined yet; write it uncompressed"
        )
      if (Set("encoding", "charset").contains(name) && !ByteOrderMarks.asciiCompatible(value))
        throw new InvalidOptionException(
          s"cannot write $target as XML in $value: the root element's tags are found as ASCII bytes; write UTF-8"
        )
    }
  }

  /** A flag as Spark reads one (CSVOptions.getBool): `true` or `false`, in any case; anything else is refused. */
  private[sparkmerge] def flag(name: String, value: String, target: String): Boolean =
    value.toLowerCase(Locale.ROOT) match {
      case "true"  => true
      case "false" => false
      case _       =>
        throw new InvalidOptionException(s"$name must be true or false, not '$value', for $target")
    }

  private def saveMode(mode: String, target: String): SaveMode = {
    val key = mode.trim.toLowerCase(Locale.ROOT)
    Modes.collectFirst { case (name, saveMode) if name == key => saveMode }.getOrElse {
      if (key == "append")
        throw new InvalidOptionException(
          s"mode append cannot add to the single file $target: write a new file, or union the DataFrames and " +
            "overwrite"
        )
      throw new InvalidOptionException(
        s"mode must be one of ${Modes.map(_._1).mkString(", ")}, not '$mode', for $target"
      )
    }
  }
}
