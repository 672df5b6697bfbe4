package sparkmerge.plan

import org.apache.hadoop.fs.FileSystem

import sparkmerge.{InvalidOptionException, UnsupportedFormatException}
import sparkmerge.format.{ByteOrderMarks, Codec}
import sparkmerge.format.ByteOrderMarks.Mark
import sparkmerge.parts.Part
import sparkmerge.publish.HiddenFiles

/**
 * Byte-order marks in a merge of text parts: where the first part with data starts with one, every later part
 * starts with the same and loses it, so the file has one mark, first. With `bom`, UTF-8's mark goes first
 * where the parts have none, in a file of its own ([[ScratchFiles]]): Excel reads a CSV file as UTF-8 only
 * after it. A first part without a mark is the only one read: a later part's own mark is not looked for.
 */
private[sparkmerge] object MarkPieces {

  /**
   * The mark of the first part with data, every later part's checked against it; with `headers`, the header
   * records, compared whole, hold a UTF-8 mark, and no other mark can be read past to find them.
   */
  def found(fs: FileSystem, parts: Vector[Part], headers: Boolean): Option[Mark] = {
    val withData = parts.filter(_.length > 0)
    withData.headOption.flatMap(first => ByteOrderMarks.of(fs, first).map(first -> _)).map { case (first, mark) =>
      if (headers && mark.encoding != "UTF-8" && withData.size > 1)
        throw new UnsupportedFormatException(
          s"${first.path} starts with a ${mark.encoding} byte-order mark: a merge finds header records only in " +
            "encodings where ASCII is one byte a character; merge without header (each part's header stays), " +
            "or write the parts in UTF-8"
        )
      if (!headers) withData.tail.foreach { part =>
        val other = ByteOrderMarks.of(fs, part)
        if (!other.contains(mark))
          throw new UnsupportedFormatException(
            s"${part.path} starts with ${other.fold("no byte-order mark")(m => s"a ${m.encoding} byte-order mark")}" +
              s", where ${first.path} starts with a ${mark.encoding} one: the parts were not written in one " +
              "encoding; rewrite them in one"
          )
      }
      mark
    }
  }

  /** The pieces of `parts`: the first with data whole, each later one without its `mark`. */
  def firstMarkOnly(parts: Vector[Part], mark: Mark, codec: Codec): Vector[Piece] =
    parts.filter(_.length > 0) match {
      case first +: rest =>
        Piece.Whole(first.path, first.length, first.checksum) +: rest.flatMap(
          HeaderPieces.withoutFirst(_, mark.length, codec)
        )
      case _ => Vector.empty
    }

  /** The file of UTF-8's mark to put first, if the request asks for one and the parts do not start with it. */
  def utf8First(
      request: MergeRequest,
      destination: PlannedStore,
      parts: Vector[Part],
      found: Option[Mark],
      codec: Codec
  ): Option[Part] =
    if (!request.mark) None
    else
      found match {
        case Some(mark) if mark.encoding == "UTF-8" => None // the first part's own, the only one kept
        case Some(mark)                             =>
          throw new InvalidOptionException(
            s"bom puts UTF-8's byte-order mark first, and the parts of ${request.directory} start with " +
              s"${mark.encoding}'s: merge without bom"
          )
        case None =>
          parts.headOption.map { first =>
            val bytes = ByteOrderMarks.utf8In(codec)
            val path = ScratchFiles.write(request, destination, first, HiddenFiles.Kind.Mark, bytes)
            Part(path, bytes.length.toLong, first.blockSize)
          }
      }
}
