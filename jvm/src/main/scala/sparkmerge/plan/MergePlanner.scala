package sparkmerge.plan

import org.apache.hadoop.fs.FileSystem
import org.slf4j.LoggerFactory

import sparkmerge.columnar.{ColumnarFormat, ColumnarPieces}
import sparkmerge.concat.ConcatSupport
import sparkmerge.format.{BinaryFormats, Codec}
import sparkmerge.parts.Part

/**
 * Turns the listed parts into a [[MergePlan]]: checks that they can be joined, finds their codec, decides what
 * each part contributes and the strategy. Reads only the first bytes of parts, never their data. Every plan,
 * the one that replaces a refused concat included, comes from here, final.
 */
private[sparkmerge] object MergePlanner {
  private val log = LoggerFactory.getLogger(getClass)

  /** The plan for `parts` (listed from `request.directory`) into the store's target. */
  def plan(request: MergeRequest, parts: Vector[Part], destination: PlannedStore): MergePlan = {
    val inputs = request.leading ++ parts
    BinaryFormats.of(request.fs, inputs) match {
      case Some((_, ColumnarFormat(format))) if request.leading.isEmpty =>
        val joined = ColumnarPieces.of(format, request, parts, destination)
        // The footer's file is not the caller's data: it counts as no file, and is one more input to concat.
        val footer = joined.footerFile.map(path => Part(path, joined.pieces.last.length, parts.head.blockSize))
        // Parts copied while Spark wrote are the first pieces here too, whole and in order: the footer is left.
        decide(
          request.copy(lineBreaks = None),
          destination,
          inputs,
          joined.pieces,
          Codec.Plain,
          parts.size,
          footer.toVector
        )
          .copy(scratch = joined.footerFile.toSeq)
          .withReason(joined.describe)
      case Some((_, "XML")) =>
        // What leads is the document of no rows, where the parts are empty (the DataFrame writer's).
        val pieces = leading(request) ++ XmlPieces.of(request.fs, parts, request)
        decide(request.copy(lineBreaks = None), destination, inputs, pieces, Codec.Plain, parts.size, Vector.empty)
          .withReason(s"the rows of ${pieces.count(_.files > 0)} parts in one document, none parsed")
      case Some((_, "Avro")) if request.leading.isEmpty =>
        val pieces = AvroPieces.of(request.fs, parts, request)
        decide(request.copy(lineBreaks = None), destination, inputs, pieces, Codec.Plain, parts.size, Vector.empty)
          .withReason(s"the blocks of ${pieces.size} parts behind one header, none decoded")
      case _ =>
        BinaryFormats.refuse(request.fs, inputs)
        val codec = Codec.common(inputs)
        val mark = MarkPieces.found(request.fs, parts, request.headers)
        val data =
          if (request.headers) HeaderPieces.of(request.fs, parts, codec, request.dialect)
          else mark.fold(parts.map(whole))(MarkPieces.firstMarkOnly(parts, _, codec))
        // Written last, once nothing else can refuse the merge; it is the plan's to remove from then on.
        val bom = MarkPieces.utf8First(request, destination, parts, mark, codec).toVector
        val pieces = bom.map(p => Piece.Whole(p.path, p.length, files = 0): Piece) ++ leading(request) ++ data
        try decide(request, destination, inputs, pieces, codec, parts.size, bom).copy(scratch = bom.map(_.path))
        catch { case e: Throwable => ScratchFiles.remove(request.fs, bom.map(_.path)); throw e }
    }
  }

  /**
   * The strategy for `pieces` of `inputs` and of the files the planner `written` for them (a footer, a mark:
   * what concat would consume too): the store's own copy, concat where the parts may go, else a copy.
   */
  private def decide(
      request: MergeRequest,
      destination: PlannedStore,
      inputs: Vector[Part],
      pieces: Vector[Piece],
      codec: Codec,
      files: Int,
      written: Vector[Part]
  ): MergePlan = {
    val target = destination.target
    val allWhole = pieces.forall(_.isInstanceOf[Piece.Whole])
    val breaks = if (codec == Codec.Plain) request.lineBreaks else None
    // On an object store there is no concat and nothing to consume: the store copies the parts, or this JVM does.
    if (destination.objectStore) destination.whyNotInStore(request.fs, pieces) match {
      case None =>
        MergePlan(target, pieces, Strategy.ServerSide, codec, files, "the parts are in the target's bucket", breaks)
      case Some(reason) => MergePlan(target, pieces, Strategy.Copy, codec, files, reason, breaks)
    }
    else
      ConcatSupport
        .whyNot(request.fs, destination.fs, written ++ inputs, request.consumable, allWhole)
        .orElse(unended(request, inputs)) match {
        case None =>
          MergePlan(target, pieces, Strategy.Concat, codec, files, "the parts' blocks join in place", breaks)
        case Some(reason) =>
          request.resumable.filter(fits(_, pieces, request.fs)) match {
            case Some(resumed) =>
              val copied = s"${resumed.holds.size} of ${pieces.size} pieces copied while Spark wrote"
              val rest = resumed +: pieces.drop(resumed.holds.size)
              MergePlan(target, rest, Strategy.Copy, codec, files, s"$reason; $copied", breaks)
            case None => MergePlan(target, pieces, Strategy.Copy, codec, files, reason, breaks)
          }
      }
  }

  /** Why a concat, which adds nothing to the parts, cannot keep the promise on line breaks; None if it can. */
  private def unended(request: MergeRequest, parts: Vector[Part]): Option[String] =
    request.lineBreaks.filter(_ => Codec.common(parts) == Codec.Plain).flatMap { breaks =>
      UnendedParts.of(request.fs, parts, breaks.bytes).headOption.map { part =>
        if (!breaks.add) throw breaks.refusal(part.path)
        s"${part.path} ends without a line break, which only a copy can add"
      }
    }

  /** The plan to copy what `refused` would have concatenated, after HDFS refused it: nothing was consumed. */
  def copyInstead(refused: MergePlan, refusal: String): MergePlan =
    MergePlan(
      refused.target,
      refused.pieces,
      Strategy.Copy,
      refused.codec,
      refused.files,
      s"concat refused: $refusal",
      refused.lineBreaks,
      refused.scratch
    )

  /** The files that go first, whole, none of them the caller's data: the writer's header or empty document. */
  private def leading(request: MergeRequest): Vector[Piece] =
    request.leading.map(part => Piece.Whole(part.path, part.length, part.checksum, files = 0))

  private def whole(part: Part): Piece = Piece.Whole(part.path, part.length, part.checksum)

  // Nothing written ahead is trusted: it must hold the plan's first pieces, and its file their length.
  private def fits(resumed: Piece.Resumed, pieces: Vector[Piece], fs: FileSystem): Boolean = {
    val fits = resumed.holds.nonEmpty && pieces.startsWith(resumed.holds) &&
      fs.exists(resumed.path) && fs.getFileStatus(resumed.path).getLen == resumed.length
    if (!fits)
      log.info(s"sparkmerge: the ${resumed.holds.size} pieces copied ahead do not start the plan; copying all")
    fits
  }
}
