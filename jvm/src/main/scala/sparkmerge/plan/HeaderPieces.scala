package sparkmerge.plan

import org.apache.hadoop.fs.FileSystem

import sparkmerge.HeaderMismatchException
import sparkmerge.format.{Codec, CsvDialect, HeaderRecord}
import sparkmerge.parts.Part

/** Parts that each start with the same header record: the first keeps it, the others lose it. */
private[sparkmerge] object HeaderPieces {

  def of(fs: FileSystem, parts: Vector[Part], codec: Codec, dialect: CsvDialect): Vector[Piece] = {
    // 0-byte parts (an empty task's output) add nothing and have no header to compare.
    val nonEmpty = parts.filter(_.length > 0)
    nonEmpty.headOption.fold(Vector.empty[Piece]) { first =>
      val header = found(fs, first, codec, dialect)
      Piece.Whole(first.path, first.length, first.checksum) +: nonEmpty.tail.flatMap { part =>
        val record = found(fs, part, codec, dialect)
        if (!java.util.Arrays.equals(record.bytes, header.bytes))
          throw new HeaderMismatchException(
            s"${part.path} starts with '${HeaderRecord.show(record.bytes)}', not the header " +
              s"'${HeaderRecord.show(header.bytes)}' of ${first.path}: the parts were not written with one " +
              "header; merge without header"
          )
        withoutFirst(part, header.bytes.length, codec)
      }
    }
  }

  /** The part's header record, where the dialect finds one that Spark could have written. */
  private def found(fs: FileSystem, part: Part, codec: Codec, dialect: CsvDialect): HeaderRecord.Found = {
    val found = HeaderRecord.read(fs, part, codec, dialect)
    found.nextFields.filter(_ != found.fields).foreach { next =>
      throw new HeaderMismatchException(
        s"${part.path} starts with a record of ${found.fields} fields and goes on with one of $next: it was not " +
          s"written in the CSV dialect given (${dialect.describe}); pass the sep, quote and escape it was written with"
      )
    }
    found
  }

  /** The part without its first `bytes` (as its codec decodes it): None if nothing is left. */
  def withoutFirst(part: Part, bytes: Int, codec: Codec): Option[Piece] =
    codec match {
      case Codec.Plain if part.length == bytes => None // header only: nothing left to add
      case Codec.Plain                         => Some(Piece.Slice.from(part.path, part.length, bytes, part.checksum))
      case _ => Some(Piece.Recoded(part.path, part.length, bytes, codec, part.checksum))
    }
}
