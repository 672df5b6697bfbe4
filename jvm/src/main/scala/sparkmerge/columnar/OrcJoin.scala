package sparkmerge.columnar

import java.io.ByteArrayOutputStream

import org.apache.orc.{OrcProto, OrcUtils}
import org.apache.orc.impl.ColumnStatisticsImpl

/**
 * The tail that makes whole ORC parts, laid one after the other, one file: every stripe of every part, in part
 * order, at the offset where it now lies. A stripe's streams are placed relative to the stripe's start, so
 * its offset is all that moves; the parts' own tails stay inside the file as bytes no stripe names, which
 * readers never look at (they find everything from the file's end, through the new tail).
 *
 * The new tail: the stripes' statistics one after the other, the footer (stripes moved, rows summed, the file's
 * column statistics merged by ORC's own classes), the postscript. The compressed sections are written as ORC
 * writes a chunk that does not shrink: stored as it is, marked original, which every reader of every codec
 * takes; so no codec is needed to write them.
 */
private[sparkmerge] object OrcJoin {
  private val Header = 3L // "ORC"
  private val MaxChunk = (1 << 23) - 1 // what a chunk header's 23 bits of length hold

  def tail(footers: Seq[OrcFooter], starts: Seq[Long]): Array[Byte] = {
    require(footers.nonEmpty && footers.size == starts.size, "one start for each footer")
    val first = footers.head
    val stripes = footers.zip(starts).flatMap { case (footer, shift) =>
      footer.stripes.map(s => s.toBuilder.setOffset(s.getOffset + shift).build())
    }
    val metadata = OrcProto.Metadata.newBuilder()
    // Stripe statistics are all there, or none: a reader pairs them with the stripes by position.
    if (footers.forall(f => f.stripeStatistics.size == f.stripes.size))
      footers.foreach(f => f.stripeStatistics.foreach(metadata.addStripeStats))
    val footer = first.footer.toBuilder
      .setHeaderLength(Header)
      .setContentLength(starts.last + footers.last.part.length)
      .clearStripes()
      .addAllStripes(JavaLists.list(stripes))
      .setNumberOfRows(footers.map(_.footer.getNumberOfRows).sum)
      .clearStatistics()
      .addAllStatistics(JavaLists.list(statistics(footers)))
      .build()
    val out = new ByteArrayOutputStream()
    val metadataLength = stored(metadata.build().toByteArray, first, out)
    val footerLength = stored(footer.toByteArray, first, out)
    val postScript = first.postScript.toBuilder
      .setFooterLength(footerLength.toLong)
      .setMetadataLength(metadataLength.toLong)
      .build()
      .toByteArray
    require(postScript.length < 256, s"a postscript of ${postScript.length} bytes")
    out.write(postScript)
    out.write(postScript.length)
    out.toByteArray
  }

  /**
   * The file's statistics of each column, the parts' merged; none where a part has none of a column, or where
   * ORC cannot merge them (a reader then reads the file as of unknown statistics, rather than of wrong ones).
   */
  private def statistics(footers: Seq[OrcFooter]): Seq[OrcProto.ColumnStatistics] = {
    val columns = footers.head.footer.getTypesCount
    if (footers.exists(_.footer.getStatisticsCount != columns)) Nil
    else
      scala.util
        .Try {
          val schema = OrcUtils.convertTypeFromProtobuf(footers.head.footer.getTypesList, 0)
          // Read and written in the writer's calendar: nothing is converted.
          val proleptic = footers.head.footer.getCalendar == OrcProto.CalendarKind.PROLEPTIC_GREGORIAN
          (0 until columns).map { column =>
            val kind = schema.findSubtype(column)
            val merged = footers
              .map(f => ColumnStatisticsImpl.deserialize(kind, f.footer.getStatistics(column), proleptic, proleptic))
              .reduce { (all, next) => all.merge(next); all }
            merged.serialize().build()
          }
        }
        .getOrElse(Nil)
  }

  /** Writes `message` as the file's codec's stream of original chunks, answering the bytes written. */
  private def stored(message: Array[Byte], file: OrcFooter, out: ByteArrayOutputStream): Int = {
    val before = out.size
    if (file.postScript.getCompression == OrcProto.CompressionKind.NONE) out.write(message)
    else {
      val chunk = math.min(file.compressionBlockSize, MaxChunk)
      message.grouped(chunk).foreach { bytes =>
        val header = (bytes.length << 1) | 1 // the length, and "original": stored, not compressed
        out.write(header & 0xff)
        out.write((header >> 8) & 0xff)
        out.write((header >> 16) & 0xff)
        out.write(bytes)
      }
    }
    out.size - before
  }
}
