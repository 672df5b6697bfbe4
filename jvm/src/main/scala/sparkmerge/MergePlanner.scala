package sparkmerge

import org.apache.hadoop.fs.{FileSystem, Path}

/**
 * Turns the listed parts into a [[MergePlan]]: checks that they can be joined, finds their codec, and decides
 * what each part contributes. Reads only the first bytes of parts, never their data.
 */
object MergePlanner {

  /** The parts of a source directory; concat only where they may be consumed (delete source). */
  def plan(
      fs: FileSystem,
      targetFs: FileSystem,
      parts: Vector[Part],
      target: Path,
      options: MergeOptions
  ): MergePlan = {
    BinaryFormats.refuse(fs, parts)
    val codec = Codec.common(parts)
    val pieces =
      if (options.header) HeaderPieces.of(fs, parts, codec)
      else parts.map(p => Piece.Whole(p.path, p.length))
    val whole = pieces.forall(_.isInstanceOf[Piece.Whole])
    choose(
      MergePlan(target, pieces, Strategy.Copy, codec, files = parts.size),
      fs,
      targetFs,
      parts,
      options.deleteSource,
      whole
    )
  }

  /** Given files taken whole, as the DataFrame writer's rendered header and its own data parts are. */
  def whole(fs: FileSystem, files: Vector[Part], target: Path, dataFiles: Int): MergePlan = {
    BinaryFormats.refuse(fs, files)
    val codec = Codec.common(files)
    val plan = MergePlan(target, files.map(p => Piece.Whole(p.path, p.length)), Strategy.Copy, codec, dataFiles)
    choose(plan, fs, fs, files, consumable = true, whole = true)
  }

  private def choose(
      plan: MergePlan,
      fs: FileSystem,
      targetFs: FileSystem,
      parts: Seq[Part],
      consumable: Boolean,
      whole: Boolean
  ): MergePlan =
    ConcatSupport.whyNot(fs, targetFs, parts, consumable, whole) match {
      case None         => plan.copy(strategy = Strategy.Concat, reason = "the parts' blocks join in place")
      case Some(reason) => plan.copy(reason = reason)
    }
}

/** Parts that each start with the same header line: the first keeps it, the others lose it. */
object HeaderPieces {

  def of(fs: FileSystem, parts: Vector[Part], codec: Codec): Vector[Piece] = {
    // 0-byte parts (an empty task's output) add nothing and have no header to compare.
    val nonEmpty = parts.filter(_.length > 0)
    nonEmpty.headOption.fold(Vector.empty[Piece]) { first =>
      val header = HeaderLine.read(fs, first, codec)
      Piece.Whole(first.path, first.length) +: nonEmpty.tail.flatMap { part =>
        val line = HeaderLine.read(fs, part, codec)
        if (!java.util.Arrays.equals(line, header))
          throw new HeaderMismatchException(
            s"${part.path} starts with '${HeaderLine.show(line)}', not the header '${HeaderLine.show(header)}' " +
              s"of ${first.path}: the parts were not written with one header; merge without header"
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
