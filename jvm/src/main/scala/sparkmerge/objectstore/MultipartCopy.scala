package sparkmerge.objectstore

import java.io.OutputStream

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.MergeProgress
import sparkmerge.copy.{Copied, CountingOutputStream, LineEnds, PieceReader}
import sparkmerge.parts.{Part, PartFiles}
import sparkmerge.plan.{MergePlan, Piece, Strategy, UnendedParts}

/**
 * Writes a plan into a multipart upload. With the server-side strategy, each piece that is a plain range of an
 * object in the bucket, long enough for a part, is copied by the store; everything else (small parts, compressed
 * parts losing a header, parts from elsewhere) is read here and gathered into uploaded parts, in its place.
 */
private[sparkmerge] object MultipartCopy {

  def run(
      source: FileSystem,
      plan: MergePlan,
      store: MultipartStore,
      writer: MultipartWriter,
      limits: PartLimits,
      bufferBytes: Int,
      progress: MergeProgress
  ): Copied = {
    val indexed = plan.pieces.zipWithIndex
    val ranges: Map[Int, (Long, Long)] =
      if (plan.strategy != Strategy.ServerSide) Map.empty
      else {
        val shortest = MultipartCopy.shortest(plan, store.bucket, limits)
        indexed.flatMap { case (piece, i) => range(piece, store.bucket, shortest).map(i -> _) }.toMap
      }
    val lastBytes = copiedLastBytes(source, plan, ranges)
    val counted = new CountingOutputStream(writer.stream)
    val lineEnds = new LineEnds(plan)
    val reader = new PieceReader(source, indexed.filterNot(p => ranges.contains(p._2)).map(_._1), bufferBytes)
    try
      indexed.foreach { case (piece, i) =>
        val last = ranges.get(i) match {
          case Some((from, until)) =>
            writer.copyRange(piece.path, piece.length, from, until)
            progress.advance(piece.length - (until - from)) // the bytes dropped, a header or an end tag
            lastBytes.getOrElse(i, -1)
          case None => reader.copy(piece, counted, progress)
        }
        counted.write(lineEnds.after(i, piece, last))
        progress.fileDone(piece.files)
      }
    finally reader.close()
    Copied(writer.bytes, lineEnds.added)
  }

  /** Writes bytes `from` until `until` of a part to `out`: a ranged read, for a range too short to copy. */
  def readRange(source: FileSystem, progress: MergeProgress, bufferBytes: Int)(
      path: Path,
      length: Long,
      from: Long,
      until: Long,
      out: OutputStream
  ): Unit = {
    val buffer = new Array[Byte](math.min(bufferBytes.toLong, until - from).toInt.max(1))
    val in = PartFiles.open(source, path, length, PartFiles.Random(buffer.length))
    try {
      var at = from
      while (at < until) {
        val n = math.min(buffer.length.toLong, until - at).toInt
        in.readFully(at, buffer, 0, n)
        out.write(buffer, 0, n)
        progress.advance(n.toLong)
        at += n
      }
    } finally in.close()
  }

  // The bytes from and until which a piece is copied by the store, if it is a plain range of this bucket.
  private def range(piece: Piece, bucket: String, shortest: Long): Option[(Long, Long)] = {
    val here = Option(piece.path.toUri.getAuthority).contains(bucket) && piece.checksum.isEmpty
    piece match {
      case Piece.Whole(_, length, _, _) if here && length >= shortest                => Some((0L, length))
      case Piece.Slice(_, _, offset, until, _) if here && until - offset >= shortest => Some((offset, until))
      case _                                                                         => None
    }
  }

  /**
   * The shortest range worth a part of its own. S3 takes at most 10,000 parts: with very many large parts,
   * the smaller of them are gathered instead, read here, until the parts fit.
   */
  def shortest(plan: MergePlan, bucket: String, limits: PartLimits): Long = {
    def count(shortest: Long): Long = {
      val copied = plan.pieces.flatMap(range(_, bucket, shortest)).map(r => r._2 - r._1)
      val gathered = plan.inputBytes - copied.sum
      copied.map(b => (b + limits.maxPart - 1) / limits.maxPart).sum + 2 * copied.size +
        gathered / limits.uploadBytes + 1
    }
    Iterator
      .iterate(limits.minPart)(_ * 2)
      .takeWhile(_ <= limits.maxPart)
      .find(count(_) <= limits.maxParts)
      .getOrElse(Long.MaxValue)
  }

  // Where line breaks are watched, the last byte of each copied piece, which this JVM never reads otherwise.
  private def copiedLastBytes(source: FileSystem, plan: MergePlan, ranges: Map[Int, (Long, Long)]): Map[Int, Int] =
    if (plan.lineBreaks.isEmpty || ranges.isEmpty) Map.empty
    else {
      val copied = ranges.keys.toSeq.sorted
      // A range's last byte, which may lie before the part's end.
      val parts = copied.map(i => Part(plan.pieces(i).path, ranges(i)._2))
      copied.zip(UnendedParts.lastBytes(source, parts)).toMap
    }
}
