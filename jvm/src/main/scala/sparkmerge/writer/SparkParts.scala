package sparkmerge.writer

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}
import org.apache.hadoop.io.IOUtils
import org.apache.spark.sql.DataFrame

import sparkmerge.MergeFailedException
import sparkmerge.format.{ByteOrderMarks, Codec}
import sparkmerge.parts.{ChildPaths, Part, PartDiscovery, SideEntries}
import sparkmerge.plan.MergeRequest
import sparkmerge.publish.{Destination, LocalFileDestination, Publisher}

/**
 * Spark's share of the DataFrame writer: it writes the parts in parallel, and the header on its own, into a
 * hidden directory beside the target, and leaves a [[MergeRequest]] for the pipeline. A CSV header is rendered
 * by Spark itself, with the caller's options, from an empty DataFrame of the same schema; the data parts are
 * written without one, so none has to be cut out, compressed or not. On local disk, the parts of finished tasks
 * are copied into the merged file while Spark writes the others ([[CopyAhead]]).
 */
private[sparkmerge] object SparkParts {

  def write(
      df: DataFrame,
      spec: WriteSpec,
      destination: Destination,
      work: Path,
      bufferBytes: Int,
      copyAhead: Boolean
  ): MergeRequest = {
    if (!destination.fs.mkdirs(work))
      throw new MergeFailedException(s"could not create $work for the parts of ${destination.target}")
    val dataDir = new Path(work, "data")
    // Before the data, so that on local disk it can be copied first while the data is still being written.
    val header = leading(df, spec, destination.dataFs, work, unchecksummed(destination))
    def writeData(): Unit =
      df.write
        .format(spec.format)
        .options(spec.dataOptions ++ unchecksummed(destination))
        .option("header", "false")
        .save(dataDir.toString)

    destination match {
      // An XML part is copied less its root's tags and an Avro part with new sync markers: not ahead, whole.
      case local: LocalFileDestination if copyAhead && WriteSpec.copiedWhole(spec.format) =>
        val ahead = new CopyAhead(local.raw, header.toVector, dataDir, new Path(work, "merged"), bufferBytes).start()
        val resumable =
          try { writeData(); ahead.stop() }
          catch { case e: Throwable => ahead.stop(); throw e }
        MergeRequest(local.raw, dataDir, header.toVector, allowEmpty = true, consumable = true, resumable = resumable)
      case _ =>
        writeData()
        val lead = header.orElse(EmptyXml.ifNoRows(destination.dataFs, spec, dataDir, work))
        // HDFS concat joins the files of one directory only.
        val leading = lead.map(moveInto(destination.fs, _, dataDir)).toVector
        MergeRequest(destination.dataFs, dataDir, leading, allowEmpty = true, consumable = true)
    }
  }

  /**
   * Writer options that take the parts on local disk through the raw file system, without `.crc` files (Spark's
   * writer passes its options on to the Hadoop configuration of the job). The parts live for the length of the
   * call, in a hidden directory that only this merge reads: a checksum computed by the tasks and checked again by
   * the copy cost two CRCs of every byte (0.3 s a GiB on this project's VM), and guarded bytes that never left
   * this machine's page cache. Parts of a caller's own directory are still checked against their `.crc` files.
   * A write with `partitionBy` or `{n}` ([[sparkmerge.partitions.PartitionedWriter]]) takes them too.
   */
  private[sparkmerge] def unchecksummed(destination: Destination): Map[String, String] = destination match {
    case _: LocalFileDestination =>
      Map("fs.file.impl" -> classOf[RawLocalFileSystem].getName, "fs.file.impl.disable.cache" -> "true")
    case _ => Map.empty
  }

  /** Removes the hidden directory, whether the merge worked or not. */
  def remove(destination: Destination, work: Path): Unit = Publisher.discard(destination.fs, work, recursive = true)

  /**
   * What goes before the data, in one file: UTF-8's byte-order mark where `bom` asks for it, then the header.
   * As one file, whatever puts the header first (copied ahead, concatenated, uploaded) puts the mark first too.
   */
  private[sparkmerge] def leading(
      df: DataFrame,
      spec: WriteSpec,
      fs: FileSystem,
      work: Path,
      writerOptions: Map[String, String]
  ): Option[Part] = {
    val header = if (spec.header) renderHeader(df, spec, fs, work, writerOptions) else None
    if (spec.mark) Some(marked(fs, header, spec, work)) else header
  }

  private def marked(fs: FileSystem, header: Option[Part], spec: WriteSpec, work: Path): Part = {
    val codec = Codec.ofWriterOptions(spec.dataOptions, work.toString)
    val dir = new Path(work, "lead")
    // Named as the header is, or as a part of its codec: the merge tells a file's codec by its name.
    val file = new Path(dir, header.fold(s"part-00000${codec.extension}")(_.name))
    try {
      val out = fs.create(file, false)
      try {
        out.write(ByteOrderMarks.utf8In(codec)) // a stream of its own, which the header's and the parts' follow
        header.foreach { rendered =>
          val in = fs.open(rendered.path)
          try IOUtils.copyBytes(in, out, 64 << 10, false)
          finally in.close()
        }
      } finally out.close()
    } catch {
      case e: java.io.IOException =>
        throw new MergeFailedException(s"could not write the byte-order mark to $file: ${e.getMessage}", Some(e))
    }
    PartDiscovery.list(fs, dir).head
  }

  /** Spark's own rendering of the header (quoting, separator, compression), from an empty DataFrame. */
  private def renderHeader(
      df: DataFrame,
      spec: WriteSpec,
      fs: FileSystem,
      work: Path,
      writerOptions: Map[String, String]
  ): Option[Part] = {
    val headerDir = new Path(work, "header")
    JobDescription.around(df.sparkSession.sparkContext, s"the header for $work") {
      df.limit(0)
        .write
        .format(spec.format)
        .options(spec.dataOptions ++ writerOptions)
        .option("header", "true")
        .save(headerDir.toString)
    }
    PartDiscovery.list(fs, headerDir, allowEmpty = true).headOption
  }

  /** A hidden file among the data parts, so that it is no part of theirs. */
  private def moveInto(fs: FileSystem, rendered: Part, dataDir: Path): Part = {
    val moved = new Path(dataDir, s".header-${rendered.name}")
    if (!fs.rename(rendered.path, moved))
      throw new MergeFailedException(s"could not move the rendered header ${rendered.path} to $moved")
    // The checksummed file system moves a checksum file with its file, to the name it gives every file's.
    rendered.copy(
      path = moved,
      checksum = rendered.checksum.map(_ => ChildPaths.of(dataDir, SideEntries.checksumOf(moved.getName)))
    )
  }
}
