package sparkmerge.publish

import java.io.IOException
import java.util.concurrent.ConcurrentHashMap

import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.hadoop.util.ShutdownHookManager

/**
 * Removes the hidden files of the merges still running when the JVM is stopped (SIGTERM from YARN, systemd or
 * `timeout`; Ctrl-C), so that a stopped merge leaves nothing behind. Hadoop's own hook closes the file systems;
 * this one runs before it, by a higher priority. A JVM killed outright runs no hook: [[Leftovers]] is for that.
 */
object ShutdownCleanup {

  private val HookPriority = FileSystem.SHUTDOWN_HOOK_PRIORITY + 10

  private val pending = ConcurrentHashMap.newKeySet[(FileSystem, Path)]()
  private val actions = ConcurrentHashMap.newKeySet[Runnable]()

  private lazy val installed: Boolean = {
    ShutdownHookManager
      .get()
      .addShutdownHook(
        () => {
          actions.forEach(action => run(action))
          pending.forEach { case (fs, path) => remove(fs, path) }
        },
        HookPriority
      )
    true
  }

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
    if (installed) pending.add((fs, path))
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
