package sparkmerge.columnar

import java.io.ByteArrayOutputStream
import java.nio.{ByteBuffer, ByteOrder}
import java.nio.charset.StandardCharsets.US_ASCII

import org.apache.parquet.format.{ColumnChunk, OffsetIndex, RowGroup, Util}

/**
 * The footer that makes whole Parquet parts, laid one after the other, one file: every row group of every
 * part, in part order, pointing where its bytes now lie. The parts' bytes are not changed; their own footers
 * stay inside the file as bytes no offset names, which the format allows (readers go from the file's end).
 *
 * What moves: every absolute offset (row group, column chunk, dictionary, data and index pages, bloom filter,
 * column index) by the part's start in the joined file, and the offset indexes, whose page locations are
 * absolute too, written anew before the footer. Row groups are numbered again; the row count is the sum.
 */
private[sparkmerge] object ParquetJoin {
  private val Magic = "PAR1".getBytes(US_ASCII)

  /**
   * The bytes that end the joined file: the moved offset indexes, the footer, its length and "PAR1".
   *
   * @param starts where each part begins in the joined file
   */
  def tail(footers: Seq[ParquetFooter], starts: Seq[Long]): Array[Byte] = {
    require(footers.nonEmpty && footers.size == starts.size, "one start for each footer")
    val tailStart = starts.last + footers.last.part.length
    val out = new ByteArrayOutputStream()
    val groups = footers.zip(starts).flatMap { case (footer, shift) =>
      JavaLists.seq(footer.meta.getRow_groups).zip(footer.offsetIndexes).map { case (group, indexes) =>
        moved(
          group,
          shift,
          indexes,
          index => {
            val at = out.size
            Util.writeOffsetIndex(index, out)
            (tailStart + at, out.size - at)
          }
        )
      }
    }
    groups.zipWithIndex.foreach { case (g, i) =>
      if (i <= Short.MaxValue) g.setOrdinal(i.toShort) else g.unsetOrdinal()
    }
    val meta = footers.head.meta.deepCopy()
    meta.setRow_groups(JavaLists.list(groups))
    meta.setNum_rows(footers.map(_.meta.getNum_rows).sum)
    val footerStart = out.size
    Util.writeFileMetaData(meta, out)
    val length = out.size - footerStart
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array())
    out.write(Magic)
    out.toByteArray
  }

  /** A copy of `group` whose offsets are `shift` further on; `write` places a moved offset index, answering where and in how many bytes. */
  private def moved(
      group: RowGroup,
      shift: Long,
      indexes: Seq[Option[OffsetIndex]],
      write: OffsetIndex => (Long, Int)
  ): RowGroup = {
    val copy = group.deepCopy()
    if (copy.isSetFile_offset) copy.setFile_offset(copy.getFile_offset + shift)
    JavaLists.seq(copy.getColumns).zip(indexes).foreach { case (chunk, index) => move(chunk, shift, index, write) }
    copy
  }

  private def move(
      chunk: ColumnChunk,
      shift: Long,
      index: Option[OffsetIndex],
      write: OffsetIndex => (Long, Int)
  ): Unit = {
    chunk.setFile_offset(chunk.getFile_offset + shift)
    if (chunk.isSetMeta_data) {
      val m = chunk.getMeta_data
      m.setData_page_offset(m.getData_page_offset + shift)
      if (m.isSetDictionary_page_offset) m.setDictionary_page_offset(m.getDictionary_page_offset + shift)
      if (m.isSetIndex_page_offset) m.setIndex_page_offset(m.getIndex_page_offset + shift)
      if (m.isSetBloom_filter_offset) m.setBloom_filter_offset(m.getBloom_filter_offset + shift)
    }
    if (chunk.isSetColumn_index_offset) chunk.setColumn_index_offset(chunk.getColumn_index_offset + shift)
    index.foreach { old =>
      val moved = old.deepCopy()
      JavaLists.seq(moved.getPage_locations).foreach(page => page.setOffset(page.getOffset + shift))
      val (at, length) = write(moved)
      chunk.setOffset_index_offset(at)
      chunk.setOffset_index_length(length)
    }
  }
}
