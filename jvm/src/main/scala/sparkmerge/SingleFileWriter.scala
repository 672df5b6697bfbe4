package sparkmerge

import java.util.Locale

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}
import org.apache.spark.sql.{DataFrame, SaveMode}

/**
 * Writes a DataFrame as one file in a line-oriented format.
 *
 * Spark writes the parts in parallel into a hidden directory beside the target, the engine merges them, and
 * the directory is removed whether that worked or not. On local disk, [[CopyAhead]] copies the parts that are
 * done while Spark writes the others. A CSV header is rendered by Spark itself, with the
 * caller's options, from an empty DataFrame of the same schema, and goes first as a piece of its own: the
 * data parts are written without one, so none has to be cut out, compressed or not.
 */
object SingleFileWriter {

  val LineFormats: Set[String] = Set("csv", "json", "text")

  val CopyAheadConf = "spark.sparkmerge.copyAhead"

  def write(
      df: DataFrame,
      path: String,
      format: String = "csv",
      mode: String = "errorifexists",
      options: Map[String, String] = Map.empty,
      progress: MergeProgress = new MergeProgress()
  ): MergeResult = {
    val fmt = format.toLowerCase(Locale.ROOT)
    if (!LineFormats(fmt))
      throw new UnsupportedFormatException(
        s"cannot write $path as one $format file: only the line formats ${LineFormats.toSeq.sorted.mkString(", ")} " +
          "can be joined end to end; for others keep the directory, or use df.coalesce(1).write"
      )
    val saveMode = parseMode(mode, path)
    options.collect { case (k, v) if Set("compression", "codec")(k.toLowerCase(Locale.ROOT)) => v }.foreach { codec =>
      if (!Codec.joinable(codec))
        throw new UnsupportedFormatException(
          s"cannot write $path with compression $codec: its streams cannot be joined end to end; use gzip, " +
            "bzip2 or no compression"
        )
    }
    val conf = df.sparkSession.sparkContext.hadoopConfiguration
    val target = new Path(path).getFileSystem(conf).makeQualified(new Path(path))
    val fs = target.getFileSystem(conf)

    if (saveMode == SaveMode.Ignore && fs.exists(target)) MergeResult(target.toString, 0, 0L, "skipped", 0L)
    else {
      val overwrite = saveMode == SaveMode.Overwrite
      Publisher.checkTarget(fs, target, overwrite)
      val work = Publisher.temporaryPath(target, "parts")
      try writeAndMerge(df, fmt, options, fs, target, work, overwrite, progress)
      finally
        if (fs.exists(work) && !fs.delete(work, true))
          org.slf4j.LoggerFactory.getLogger(getClass).warn(s"sparkmerge: could not delete $work")
    }
  }

  private def writeAndMerge(
      df: DataFrame,
      format: String,
      options: Map[String, String],
      fs: FileSystem,
      target: Path,
      work: Path,
      overwrite: Boolean,
      progress: MergeProgress
  ): MergeResult = {
    val header = format == "csv" && options.exists { case (k, v) =>
      k.equalsIgnoreCase("header") && v.trim.equalsIgnoreCase("true")
    }
    val dataOptions = options.filterNot(_._1.equalsIgnoreCase("header"))
    val dataDir = new Path(work, "data")
    val mergeOptions = MergeOptions(overwrite = overwrite)
    if (!fs.mkdirs(work)) throw new java.io.IOException(s"could not create $work")
    // Before the data, so that on local disk it can be copied first while the data is still being written.
    val headerPart = if (header) renderHeader(df, format, dataOptions, fs, work) else None
    def writeData(): Unit =
      df.write.format(format).options(dataOptions).option("header", "false").save(dataDir.toString)

    DataFileSystem.of(fs) match {
      case local: RawLocalFileSystem if copyAhead(df) =>
        val merged = new Path(work, "merged")
        val ahead = new CopyAhead(local, headerPart.toVector, dataDir, merged, mergeOptions.bufferBytes).start()
        val copied =
          try { writeData(); ahead.stop() }
          catch { case e: Throwable => ahead.stop(); throw e }
        val dataParts = PartDiscovery.list(local, dataDir, allowEmpty = true)
        val plan = MergePlanner.whole(local, headerPart.toVector ++ dataParts, target, dataParts.size)
        Merger.execute(plan, fs, fs, mergeOptions, progress, Some(copied))
      case _ =>
        writeData()
        // HDFS concat joins the files of one directory only.
        val headerParts = headerPart.map(moveInto(fs, _, dataDir)).toVector
        val dataParts = PartDiscovery.list(DataFileSystem.of(fs), dataDir, allowEmpty = true)
        val plan = MergePlanner.whole(DataFileSystem.of(fs), headerParts ++ dataParts, target, dataParts.size)
        Merger.execute(plan, fs, fs, mergeOptions, progress)
    }
  }

  /** On unless the session says `spark.sparkmerge.copyAhead=false`: the way out should a committer confuse it. */
  private def copyAhead(df: DataFrame): Boolean =
    df.sparkSession.conf.get(CopyAheadConf, "true").trim.toLowerCase(Locale.ROOT) != "false"

  /** Spark's own rendering of the header (quoting, separator, compression), from an empty DataFrame. */
  private def renderHeader(
      df: DataFrame,
      format: String,
      options: Map[String, String],
      fs: FileSystem,
      work: Path
  ): Option[Part] = {
    val headerDir = new Path(work, "header")
    df.limit(0).write.format(format).options(options).option("header", "true").save(headerDir.toString)
    PartDiscovery.list(DataFileSystem.of(fs), headerDir, allowEmpty = true).headOption
  }

  /** A hidden file among the data parts, so that it is no part of theirs. */
  private def moveInto(fs: FileSystem, rendered: Part, dataDir: Path): Part = {
    val moved = new Path(dataDir, s".header-${rendered.name}")
    if (!fs.rename(rendered.path, moved)) throw new java.io.IOException(s"could not move ${rendered.path} to $moved")
    rendered.copy(path = moved)
  }

  private def parseMode(mode: String, path: String): SaveMode = mode.toLowerCase(Locale.ROOT) match {
    case "errorifexists" | "error" | "default" => SaveMode.ErrorIfExists
    case "overwrite"                           => SaveMode.Overwrite
    case "ignore"                              => SaveMode.Ignore
    case "append"                              =>
      throw new IllegalArgumentException(
        s"mode append cannot add to the single file $path: write the new rows with the old ones, or merge " +
          "into a new file"
      )
    case other =>
      throw new IllegalArgumentException(
        s"unknown mode '$other' for $path: use errorifexists, overwrite or ignore"
      )
  }
}
