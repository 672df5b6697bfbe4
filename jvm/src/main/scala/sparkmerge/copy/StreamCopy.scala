package sparkmerge.copy

import java.io.OutputStream

import org.apache.hadoop.fs.FileSystem

import sparkmerge.MergeProgress
import sparkmerge.plan.MergePlan

/** The copy strategy on any file system: each piece read in order and written to one output stream. */
private[sparkmerge] object StreamCopy {

  /** Writes the plan's pieces to `out`; returns what it wrote. */
  def run(fs: FileSystem, plan: MergePlan, out: OutputStream, bufferBytes: Int, progress: MergeProgress): Copied = {
    require(plan.resumedBytes == 0L, s"a stream cannot resume the file written ahead for ${plan.target}")
    val counted = new CountingOutputStream(out)
    val lineEnds = new LineEnds(plan)
    val reader = new PieceReader(fs, plan.pieces, bufferBytes)
    try
      plan.pieces.zipWithIndex.foreach { case (piece, index) =>
        val last = reader.copy(piece, counted, progress)
        counted.write(lineEnds.after(index, piece, last))
        progress.fileDone(piece.files)
      }
    finally reader.close()
    Copied(counted.count, lineEnds.added)
  }
}
