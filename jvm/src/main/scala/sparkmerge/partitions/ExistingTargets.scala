package sparkmerge.partitions

import org.apache.hadoop.conf.Configuration

import sparkmerge.{MergeResult, PathArgument, TargetExistsException}
import sparkmerge.publish.Destination

/**
 * What a set of merges does with the files it would write that exist already, decided for the whole set before
 * any file is written: refuse them all (errorifexists), replace those it writes and leave any other file alone
 * (overwrite, as Spark's dynamic partition overwrite), or skip their values (ignore).
 */
private[sparkmerge] sealed trait ExistingTargets

private[sparkmerge] object ExistingTargets {
  case object Refuse extends ExistingTargets
  case object Replace extends ExistingTargets
  case object Skip extends ExistingTargets

  /**
   * The results of `merges`, in their order: those `run` merged, and those skipped. `run` is given the merges to
   * run, and answers a result for each, in their order. `anchor` is where the set of `template` claims its files
   * ([[SetClaim]]) when it may not replace them: of two such sets at once, one is written and the other refused.
   * A file that appears while the set is written is refused with the set (errorifexists), replaced (overwrite;
   * of two sets that race, each file is one set's, whole), or skipped (ignore).
   */
  def merge(
      merges: Seq[FileMerge],
      policy: ExistingTargets,
      conf: Configuration,
      anchor: Destination,
      template: String
  )(
      run: Seq[FileMerge] => Seq[MergeResult]
  ): Seq[MergeResult] = {
    def all(): Seq[MergeResult] = {
      val sorted = sort(merges, policy, conf)
      val merged = run(sorted.collect { case Right(m) => m }).iterator
      sorted.map(_.fold(identity, _ => merged.next()))
    }
    if (policy == Refuse) SetClaim.around(anchor, template)(all()) else all()
  }

  private def sort(
      merges: Seq[FileMerge],
      policy: ExistingTargets,
      conf: Configuration
  ): Seq[Either[MergeResult, FileMerge]] =
    policy match {
      case Replace => merges.map(Right(_))
      case Refuse  =>
        val existing = merges.map(_.target).filter(exists(_, conf))
        existing.headOption.foreach { first =>
          val more = if (existing.size > 1) s", and ${existing.size - 1} more" else ""
          throw new TargetExistsException(
            s"target $first already exists$more: nothing was written; overwrite them, or choose another path"
          )
        }
        merges.map(Right(_))
      case Skip =>
        merges.map { m =>
          val destination = destinationOf(m.target, conf)
          if (destination.exists) Left(MergeResult.skipped(destination.target.toString))
          else Right(SkipExisting(m, destination.target.toString))
        }
    }

  private def exists(target: String, conf: Configuration): Boolean = destinationOf(target, conf).exists

  private def destinationOf(target: String, conf: Configuration): Destination =
    Destination.of(PathArgument.parse(target, "target"), conf)
}
