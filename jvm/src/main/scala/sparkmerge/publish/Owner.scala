package sparkmerge.publish

import java.io.File
import java.lang.management.ManagementFactory
import java.nio.charset.StandardCharsets
import java.nio.file.Files

/**
 * The process that made a hidden file: its pid and a hash of its host's name, enough to tell on the same host
 * whether it is still running. From another host nothing can be told but the file's age.
 */
private[sparkmerge] final case class Owner(pid: Long, host: String) {

  def tag: String = s"$pid-$host"

  /** Known to have ended: on this host (where `/proc` shows processes), a process that is gone, or a zombie. */
  def ended: Boolean =
    host == Owner.self.host && pid != Owner.self.pid && Owner.proc.isDirectory && !Owner.running(pid)
}

private[sparkmerge] object Owner {

  private val proc = new File("/proc")

  // A killed process stays in /proc until its parent reaps it, as a zombie (state Z, after the command name).
  private def running(pid: Long): Boolean =
    try {
      val stat = new String(Files.readAllBytes(new File(proc, s"$pid/stat").toPath), StandardCharsets.US_ASCII)
      val state = stat.substring(stat.lastIndexOf(')') + 1).trim.take(1)
      state != "Z" && state != "X"
    } catch { case _: java.io.IOException => false }

  /** This JVM: its management name is `<pid>@<host>` (Java 8 has no ProcessHandle). */
  val self: Owner = {
    val name = ManagementFactory.getRuntimeMXBean.getName
    val at = name.indexOf('@')
    val pid = if (at > 0) name.substring(0, at).toLong else -1L
    Owner(pid, f"${name.substring(at + 1).hashCode}%08x")
  }
}
