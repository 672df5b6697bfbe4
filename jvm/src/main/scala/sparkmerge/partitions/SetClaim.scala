package sparkmerge.partitions

import java.io.IOException
import java.util.concurrent.ThreadLocalRandom

import org.apache.hadoop.fs.Path

import sparkmerge.{FirstLine, MergeFailedException, TargetExistsException}
import sparkmerge.publish.{Destination, HiddenFiles, Leftovers, ShutdownCleanup}

/**
 * Two set merges of one template at once, without overwrite: each file's publish refuses a file that exists, so
 * each would publish some files and fail on the other's, and both sets would be half there. So a set that may
 * not replace files claims its template first: it leaves a hidden claim beside the template's anchor, then lists
 * the claims there, and goes on only if its own is the only one. Two claimants cannot both go on: the later of
 * the two to list sees the other's claim, made before the earlier one listed. One that sees another's claim
 * takes its own back and tries again after a random pause, so that two that saw each other do not meet again;
 * after [[WaitMillis]] of claims held by others it is refused. Once it holds the claim, the set's files that exist
 * are refused, and so the second of two racing sets finds the first's files and writes nothing. A claim of a
 * merge that died is no claim ([[Leftovers]] tells, and removes it later). This needs a listing that shows every
 * entry created before it: local disk, HDFS and S3 (strongly consistent since 2020) have one.
 */
private[sparkmerge] object SetClaim {

  /** How long a set waits for the claims of others to go before it is refused. */
  val WaitMillis = 30000L

  def around[T](anchor: Destination, template: String)(body: => T): T = {
    // Through the raw file system on local disk: a checksum file beside a claim would outlive a killed merge.
    val fs = anchor.dataFs
    val deadline = System.nanoTime() + WaitMillis * 1000000L
    var held: Option[Path] = None
    var others = Seq.empty[HiddenFiles.Hidden]
    while (held.isEmpty && System.nanoTime() < deadline) {
      val mine = HiddenFiles.beside(anchor.target, HiddenFiles.Kind.Claim)
      ShutdownCleanup.register(fs, mine)
      try fs.create(mine, false).close()
      catch {
        case e: IOException =>
          release(fs, mine)
          throw new MergeFailedException(
            s"could not claim the files of $template at $mine: ${FirstLine.of(e)}",
            Some(e)
          )
      }
      val claims = Leftovers.liveOf(fs, anchor.target, HiddenFiles.Kind.Claim)
      if (!claims.exists(_.path.getName == mine.getName)) {
        release(fs, mine)
        throw new MergeFailedException(s"could not see the claim $mine among the claims of $template")
      }
      others = claims.filter(_.path.getName != mine.getName)
      if (others.isEmpty) held = Some(mine)
      else {
        release(fs, mine)
        Thread.sleep(ThreadLocalRandom.current().nextLong(20, 200))
      }
    }
    held match {
      case None =>
        throw new TargetExistsException(
          s"another merge (process ${others.map(_.owner.pid).distinct.mkString(", ")}) writes the files of $template " +
            s"now, for more than ${WaitMillis / 1000} s: nothing was written; write again once it has finished"
        )
      case Some(mine) =>
        try body
        finally release(fs, mine)
    }
  }

  private def release(fs: org.apache.hadoop.fs.FileSystem, claim: Path): Unit = {
    try { fs.delete(claim, false); () }
    catch { case _: IOException => () } // a claim left behind is a dead merge's: the next one removes it
    ShutdownCleanup.release(fs, claim)
  }
}
