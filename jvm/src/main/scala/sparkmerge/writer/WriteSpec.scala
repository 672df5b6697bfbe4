package sparkmerge.writer

import java.util.Locale

import org.apache.spark.sql.SaveMode

import sparkmerge.{InvalidOptionException, Settings, UnsupportedFormatException}
import sparkmerge.format.{ByteOrderMarks, Codec}

/**
 * What the DataFrame writer is asked to do, checked before any job runs. Its rules (the formats that can be
 * joined, the save modes, the codecs) live here and in [[Codec]] only; the Python wrapper passes the caller's
 * words through and maps the errors.
 *
 * @param format      the inner format Spark writes the parts in: csv, json, text or parquet
 * @param header      a CSV header, rendered once and put first
 * @param dataOptions the caller's options for the parts, without `header`
 */
private[sparkmerge] final case class WriteSpec(
    format: String,
    mode: SaveMode,
    header: Boolean,
    dataOptions: Map[String, String]
) {
  def overwrite: Boolean = mode == SaveMode.Overwrite
}

private[sparkmerge] object WriteSpec {

  /** Formats whose parts are lines of text, which join into one valid file. */
  val LineFormats: Seq[String] = Seq("csv", "json", "text")

  /** Formats whose parts are joined by a new footer over their blocks, none decoded ([[sparkmerge.columnar]]). */
  val ColumnarFormats: Seq[String] = Seq("parquet")

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
    if (!LineFormats.contains(fmt) && !ColumnarFormats.contains(fmt))
      throw new UnsupportedFormatException(
        s"cannot write $target as one $format file: only ${(LineFormats ++ ColumnarFormats).mkString(", ")} " +
          s"are joined into one; for others keep the directory, or use df.coalesce(1).write.format('$format')"
      )
    // Parquet's codecs compress pages inside the file, which the join never opens: Spark checks those names.
    if (LineFormats.contains(fmt)) options.foreach { case (key, value) =>
      if (Set("compression", "codec").contains(key.toLowerCase(Locale.ROOT))) Codec.checkWriterOption(value, target)
    }
    ByteOrderMarks.checkOption(options, target)
    // Only CSV reads `header`; Spark's other formats let any value pass.
    val header = fmt == "csv" && options.exists { case (k, v) => k.equalsIgnoreCase("header") && flag(k, v, target) }
    WriteSpec(
      fmt,
      saveMode(mode, target),
      header,
      options.filterNot(_._1.equalsIgnoreCase("header"))
    )
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
