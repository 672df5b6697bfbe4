package sparkmerge.columnar

import org.apache.hadoop.fs.FileSystem
import org.apache.orc.OrcUtils

import sparkmerge.parts.Part

/** ORC as a [[ColumnarFormat]]: stripes behind one tail ([[OrcFooter]], [[OrcJoin]]). */
private[sparkmerge] object OrcFormat extends ColumnarFormat[OrcFooter] {
  val name = "ORC"
  val blocksAre = "stripes"
  val largerBlocks = "orc.stripe.size"

  def read(fs: FileSystem, part: Part): OrcFooter = OrcFooter.read(fs, part)
  def part(footer: OrcFooter): Part = footer.part
  // As they lie on disk, compressed: what a reader fetches a stripe at a time.
  def blocks(footer: OrcFooter): Seq[Long] =
    footer.stripes.map(s => s.getIndexLength + s.getDataLength + s.getFooterLength)
  def tail(footers: Seq[OrcFooter], starts: Seq[Long]): Array[Byte] = OrcJoin.tail(footers, starts)

  /**
   * One table written one way: the same schema and user metadata (Spark's version is there), and the same
   * codec, block size, row index stride, calendar, file version and writer, which the new tail states once for
   * every stripe.
   */
  val shared: Seq[ColumnarFormat.Shared[OrcFooter]] = Seq(
    ColumnarFormat.Shared("schema", _.footer.getTypesList, schema),
    ColumnarFormat
      .Shared("user metadata", userMetadata, f => s"keys ${userMetadata(f).keys.toSeq.sorted.mkString(", ")}"),
    setting("compression")(_.postScript.getCompression),
    setting("compression block size")(_.compressionBlockSize),
    setting("row index stride")(_.footer.getRowIndexStride),
    setting("calendar")(_.footer.getCalendar),
    setting("file version")(f => JavaLists.seq(f.postScript.getVersionList).mkString(".")),
    setting("writer")(f => s"${f.footer.getWriter} version ${f.postScript.getWriterVersion}")
  )

  private def setting(what: String)(of: OrcFooter => Any) =
    ColumnarFormat.Shared[OrcFooter](what, of, f => String.valueOf(of(f)))

  private def schema(footer: OrcFooter): String =
    scala.util.Try(OrcUtils.convertTypeFromProtobuf(footer.footer.getTypesList, 0).toString).getOrElse("?")

  private def userMetadata(footer: OrcFooter): Map[String, Seq[Byte]] =
    JavaLists.seq(footer.footer.getMetadataList).map(m => m.getName -> m.getValue.toByteArray.toSeq).toMap
}
