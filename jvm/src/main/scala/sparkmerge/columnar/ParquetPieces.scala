package sparkmerge.columnar

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.{InvalidOptionException, MergeFailedException}
import sparkmerge.parts.Part
import sparkmerge.plan.{MergeRequest, Piece, PlannedStore}
import sparkmerge.publish.{HiddenFiles, ShutdownCleanup}

/**
 * What a merge of Parquet parts joins: each part with row groups, whole and in order, then a small file of the
 * new footer ([[ParquetJoin]]), written before the merge runs. Whole pieces are what every strategy moves
 * without reading: HDFS concatenates them, S3 copies them, a copy streams them.
 *
 * The footer's file lies where the strategy can take it: among the parts where they may be consumed (HDFS
 * concat moves only files of one directory), else hidden beside the target, where a killed merge's is found
 * and removed by the next ([[sparkmerge.publish.Leftovers]]).
 *
 * @param footerFile the footer's file, which the merge removes when it ends, if it is still there
 */
private[sparkmerge] final case class ParquetPieces(pieces: Vector[Piece], footerFile: Option[Path], describe: String)

private[sparkmerge] object ParquetPieces {

  def of(request: MergeRequest, parts: Vector[Part], destination: PlannedStore): ParquetPieces = {
    if (request.headers)
      throw new InvalidOptionException(
        s"header is an option of CSV parts, and the parts of ${request.directory} are Parquet: merge without header"
      )
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
      val file = write(request, destination, kept.head.part, tail)
      ParquetPieces(whole :+ Piece.Whole(file, tail.length.toLong, files = 0), Some(file), describe)
    }
  }

  private def write(request: MergeRequest, destination: PlannedStore, first: Part, tail: Array[Byte]): Path = {
    val besideTarget = HiddenFiles.beside(destination.target, HiddenFiles.Kind.Footer)
    val path =
      if (request.consumable) new Path(first.path.getParent, besideTarget.getName)
      else if (sameStore(request.fs, destination.fs)) besideTarget
      else
        throw new InvalidOptionException(
          s"the Parquet parts of ${request.directory} are joined on their own file system, and the target " +
            s"${destination.target} is on another: write the target beside them, or copy the directory first"
        )
    val fs = request.fs
    ShutdownCleanup.register(fs, path)
    // HDFS concatenates no file of a larger block size than the first's.
    val blockSize = if (first.blockSize > 0) first.blockSize else fs.getDefaultBlockSize(path)
    try {
      fs.mkdirs(path.getParent)
      val out = fs.create(path, false, 4096, fs.getDefaultReplication(path), blockSize)
      try out.write(tail)
      finally out.close()
    } catch {
      case e: java.io.IOException =>
        fs.delete(path, false)
        throw new MergeFailedException(s"could not write the joined Parquet footer to $path: ${e.getMessage}", Some(e))
    }
    path
  }

  private def sameStore(a: FileSystem, b: FileSystem): Boolean = a.getUri == b.getUri

  /** Removes the footer's file once the merge has ended, however; a concat has consumed it already. */
  def removeFooter(fs: FileSystem, footer: Option[Path]): Unit = footer.foreach { path =>
    try fs.delete(path, false)
    catch { case _: java.io.IOException => () } // the next merge to the target finds it, as a leftover
    ShutdownCleanup.release(fs, path)
  }
}
