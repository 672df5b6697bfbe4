package sparkmerge.plan

import org.apache.hadoop.fs.FileSystem

import sparkmerge.HeaderMismatchException
import sparkmerge.format.{Codec, HeaderRecord}
import sparkmerge.parts.Part

/** Parts that each start with the same header record: the first keeps it, the others lose it. */
object HeaderPieces {

  def of(fs: FileSystem, parts: Vector[Part], codec: Codec): Vector[Piece] = {
    // 0-byte parts (an empty task's output) add nothing and have no header to compare.
    val nonEmpty = parts.filter(_.length > 0)
    nonEmpty.headOption.fold(Vector.empty[Piece]) { first =>
      val header = HeaderRecord.read(fs, first, codec)
      Piece.Whole(first.path, first.length) +: nonEmpty.tail.flatMap { part =>
        val record = HeaderRecord.read(fs, part, codec)
        if (!java.util.Arrays.equals(record, header))
          throw new HeaderMismatchException(
            s"${part.path} starts with '${HeaderRecord.show(record)}', not the header " +
              s"'${HeaderRecord.show(header)}' of ${first.path}: the parts were not written with one header; " +
              "merge without header"
          )
        withoutHeader(part, header.length, codec)
      }
    }
  }

  private def withoutHeader(part: Part, headerBytes: Int, codec: Codec): Option[Piece] =
    codec match {
      case Codec.Plain if part.length == headerBytes => None // header only: nothing left to add
      case Codec.Plain                               => Some(Piece.Tail(part.path, part.length, headerBytes))
      case _                                         => Some(Piece.Recoded(part.path, part.length, headerBytes, codec))
    }
}
