package sparkmerge.publish

import java.io.IOException
import java.util.concurrent.ConcurrentHashMap

import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.hadoop.util.ShutdownHookManager

import sparkmerge.MergeFailedException

/**
 * Stops the merges still running when the JVM is stopped (SIGTERM from YARN, systemd or `timeout`; Ctrl-C) and
 * removes their hidden files, so that a stopped merge leaves nothing behind. The merges are told first: each
 * ends at its next buffer ([[checkRunning]]) and removes its own files, and no merge starts a new one; the hook
 * waits for that, at most [[StopWaitMillis]], then removes what is still there. Removing files under a merge that
 * goes on writing would leave the files it makes after. A merge that has staged its file still publishes it,
 * and says so: an HDFS concat has joined the parts already. Hadoop's own hook closes the file systems; this one
 * runs before it, by a higher priority. A JVM killed outright runs no hook: [[Leftovers]] is for that.
 */
private[sparkmerge] object ShutdownCleanup {

  private val HookPriority = FileSystem.SHUTDOWN_HOOK_PRIORITY + 10

  /** Within Hadoop's own bound on a shutdown hook (`hadoop.service.shutdown.timeout`, 30 s by default). */
  val StopWaitMillis = 10000L

  private val pending = ConcurrentHashMap.newKeySet[(FileSystem, Path)]()
  private val actions = ConcurrentHashMap.newKeySet[Runnable]()
  @volatile private var stopping = false
  private val calls = new java.util.concurrent.atomic.AtomicInteger

  private lazy val installed: Boolean = {
    ShutdownHookManager.get().addShutdownHook(() => stop(), HookPriority)
    true
  }

  private def stop(): Unit = {
    stopping = true
    val deadline = System.nanoTime() + StopWaitMillis * 1000000L
    while ((calls.get > 0 || !pending.isEmpty || !actions.isEmpty) && System.nanoTime() < deadline) Thread.sleep(20)
    actions.forEach(action => run(action))
    pending.forEach { case (fs, path) => remove(fs, path) }
  }

  /**
   * `body`, which the hook waits for (bounded) before the JVM ends: the command line's merge and the printing of
   * its result, so that a merge that published its file also says so before the JVM is gone.
   */
  def whileRunning[T](body: => T): T = {
    if (installed) calls.incrementAndGet()
    try body
    finally { calls.decrementAndGet(); () }
  }

  /** Whether the JVM is stopping: a merge must not go on, nor start anything it would leave behind. */
  def isStopping: Boolean = stopping

  /** Fails once the JVM is stopping, for a merge to end at: its own failure path removes what it made. */
  def checkRunning(): Unit =
    if (stopping)
      throw new MergeFailedException(
        "the JVM is stopping (SIGTERM or Ctrl-C): the merge stopped before its file was published; the target " +
          "and the sources are as they were"
      )

  /** `action` (an abort of an upload, say) runs should the JVM stop before [[cancel]]. */
  def onStop(action: Runnable): Unit = {
    if (installed) actions.add(action)
    ()
  }

  def cancel(action: Runnable): Unit = {
    actions.remove(action)
    ()
  }

  /** `path` (a hidden file, or a hidden directory and all in it) goes, should the JVM stop before [[release]]. */
  def register(fs: FileSystem, path: Path): Unit = {
    checkRunning()
    if (installed) pending.add((fs, path))
    checkRunning() // the hook may have begun its removals between the two
    ()
  }

  def release(fs: FileSystem, path: Path): Unit = {
    pending.remove((fs, path))
    ()
  }

  /** Whether a merge of this JVM works in `path` now. */
  def inUse(path: Path): Boolean = {
    val wanted = path.toUri.getPath
    pending.stream().anyMatch(_._2.toUri.getPath == wanted)
  }

  /** `body`, with `path` removed should the JVM stop while it runs. */
  def around[T](fs: FileSystem, path: Path)(body: => T): T = {
    register(fs, path)
    try body
    finally release(fs, path)
  }

  private def run(action: Runnable): Unit =
    try action.run()
    catch { case _: Exception => () } // the JVM is going: there is no one left to tell

  private def remove(fs: FileSystem, path: Path): Unit =
    try { fs.delete(path, true); () }
    catch { case _: IOException => () } // the JVM is going: there is no one left to tell
}
