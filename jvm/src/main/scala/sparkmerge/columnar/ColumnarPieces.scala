package sparkmerge.columnar

import org.apache.hadoop.fs.Path

import sparkmerge.parts.Part
import sparkmerge.plan.{MergeRequest, Piece, PlannedStore, ScratchFiles}
import sparkmerge.publish.HiddenFiles

/**
 * What a merge of Parquet or ORC parts joins: each part with rows, whole and in order, then a small file of the
 * new footer ([[ColumnarFormat.tail]]), written before the merge runs ([[ScratchFiles]]). Whole pieces are what
 * every strategy moves without reading: HDFS concatenates them, S3 copies them, a copy streams them.
 *
 * @param footerFile the footer's file, which the merge removes when it ends, if it is still there
 */
private[sparkmerge] final case class ColumnarPieces(pieces: Vector[Piece], footerFile: Option[Path], describe: String)

private[sparkmerge] object ColumnarPieces {

  def of[F](
      format: ColumnarFormat[F],
      request: MergeRequest,
      parts: Vector[Part],
      destination: PlannedStore
  ): ColumnarPieces = {
    request.onlyText(format.name)
    val footers = parts.map(format.read(request.fs, _))
    ColumnarFormat.agree(format, footers)
    // A part without rows (an empty task's) adds nothing; a table without any is the first part alone.
    val kept = footers.filter(format.blocks(_).nonEmpty) match {
      case none if none.isEmpty => footers.take(1)
      case some                 => some
    }
    val whole = kept.map { f =>
      val part = format.part(f)
      Piece.Whole(part.path, part.length, part.checksum): Piece
    }
    val describe = BlockSizes.describe(format, kept)
    if (kept.size < 2) ColumnarPieces(whole, None, describe)
    else {
      val starts = kept.scanLeft(0L)(_ + format.part(_).length).init
      val tail = format.tail(kept, starts)
      val file = ScratchFiles.write(request, destination, format.part(kept.head), HiddenFiles.Kind.Footer, tail)
      ColumnarPieces(whole :+ Piece.Whole(file, tail.length.toLong, files = 0), Some(file), describe)
    }
  }
}
