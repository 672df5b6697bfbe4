package sparkmerge.columnar

import org.apache.hadoop.fs.Path

import sparkmerge.parts.Part
import sparkmerge.plan.{MergeRequest, Piece, PlannedStore, ScratchFiles}
import sparkmerge.publish.HiddenFiles

/**
 * What a merge of Parquet parts joins: each part with row groups, whole and in order, then a small file of the
 * new footer ([[ParquetJoin]]), written before the merge runs ([[ScratchFiles]]). Whole pieces are what every
 * strategy moves without reading: HDFS concatenates them, S3 copies them, a copy streams them.
 *
 * @param footerFile the footer's file, which the merge removes when it ends, if it is still there
 */
private[sparkmerge] final case class ParquetPieces(pieces: Vector[Piece], footerFile: Option[Path], describe: String)

private[sparkmerge] object ParquetPieces {

  def of(request: MergeRequest, parts: Vector[Part], destination: PlannedStore): ParquetPieces = {
    request.onlyText("Parquet")
    val footers = parts.map(ParquetFooter.read(request.fs, _))
    ParquetJoin.agree(footers)
    // A part without rows (an empty task's) adds nothing; a table without any is the first part alone.
    val kept = footers.filter(_.rowGroups > 0) match {
      case none if none.isEmpty => footers.take(1)
      case some                 => some
    }
    val whole = kept.map(f => Piece.Whole(f.part.path, f.part.length, f.part.checksum): Piece)
    val describe = RowGroups.describe(kept)
    if (kept.size < 2) ParquetPieces(whole, None, describe)
    else {
      val starts = kept.scanLeft(0L)(_ + _.part.length).init
      val tail = ParquetJoin.tail(kept, starts)
      val file = ScratchFiles.write(request, destination, kept.head.part, HiddenFiles.Kind.Footer, tail)
      ParquetPieces(whole :+ Piece.Whole(file, tail.length.toLong, files = 0), Some(file), describe)
    }
  }

}
