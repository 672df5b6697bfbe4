package sparkmerge.partitions

import java.io.FileNotFoundException

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.{InvalidLayoutException, SourceNotFoundException}
import sparkmerge.parts.{NaturalOrder, SideEntries}

/**
 * The leaf directories of a partitioned write (`country=FR/`, nested `a=1/b=2/`), each with the values of its
 * path, in the order of the values. A directory holds either partition directories or data files, never both,
 * and every leaf names the same columns in the same order, as Spark's `partitionBy` writes them.
 */
private[sparkmerge] object PartitionDirectories {

  /** One leaf: its directory, the columns' values as Spark wrote them in the path, and its data files. */
  final case class Leaf(dir: Path, values: Vector[(String, String)], files: Int, bytes: Long) {
    def columns: Vector[String] = values.map(_._1)
  }

  /** @param allowEmpty no leaf at all is a valid answer, as for a DataFrame with no rows */
  def list(fs: FileSystem, root: Path, allowEmpty: Boolean = false): Vector[Leaf] = {
    val found =
      try walk(fs, root, Vector.empty)
      catch {
        case _: FileNotFoundException =>
          throw new SourceNotFoundException(
            s"source $root does not exist: pass the directory the Spark job wrote with partitionBy"
          )
      }
    if (found.isEmpty && !allowEmpty)
      throw new InvalidLayoutException(
        s"source $root holds no partition directories (column=value): merge it into one file, without {column}"
      )
    found.headOption.foreach { first =>
      found.find(_.columns != first.columns).foreach { other =>
        throw new InvalidLayoutException(
          s"source $root mixes partition columns: ${first.dir} has ${first.columns.mkString("/")}, ${other.dir} " +
            s"has ${other.columns.mkString("/")}"
        )
      }
    }
    found
  }

  private def walk(fs: FileSystem, dir: Path, values: Vector[(String, String)]): Vector[Leaf] = {
    val (dirs, files) = fs.listStatus(dir).toVector.partition(_.isDirectory) match {
      case (d, f) =>
        (
          d.filterNot(s => SideEntries.isSideDirectory(s.getPath.getName)),
          f.filterNot(s => SideEntries.isSide(s.getPath.getName))
        )
    }
    if (dirs.nonEmpty && files.nonEmpty)
      throw new InvalidLayoutException(
        s"$dir holds both partition directories and data files (${files.head.getPath.getName}): merge the " +
          "files of one level only"
      )
    if (dirs.isEmpty) {
      if (values.isEmpty) Vector.empty else Vector(Leaf(dir, values, files.size, files.map(_.getLen).sum))
    } else
      // Once each: a listing may name a directory twice (ABFS 3.4.2 on a store that lists folders first).
      dirs.map(_.getPath).distinct.sortBy(_.getName)(NaturalOrder).flatMap { sub =>
        sub.getName.split("=", 2) match {
          case Array(column, value) if column.nonEmpty => walk(fs, sub, values :+ (column -> value))
          case _                                       =>
            throw new InvalidLayoutException(
              s"$sub is not a partition directory (column=value): merge it on its own, or move it out of $dir"
            )
        }
      }
  }
}
