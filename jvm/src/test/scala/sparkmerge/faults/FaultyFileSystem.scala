package sparkmerge.faults

import java.io.IOException
import java.net.URI

import org.apache.hadoop.fs.{FSDataOutputStream, FileStatus, FilterFileSystem, Options, Path}
import org.apache.hadoop.fs.permission.FsPermission
import org.apache.hadoop.util.Progressable

/**
 * The local file system under the scheme `faulty://`, which fails the Nth call of one operation: a merge through
 * it takes the generic path (streams, Hadoop's rename), and every step of it can be made to fail in turn.
 */
class FaultyFileSystem extends FilterFileSystem(new FaultyFileSystem.LocalUnderScheme) {
  import FaultyFileSystem.hit

  override def getScheme: String = "faulty"

  override def open(f: Path, bufferSize: Int) = { hit("open"); super.open(f, bufferSize) }

  override def create(
      f: Path,
      permission: FsPermission,
      overwrite: Boolean,
      bufferSize: Int,
      replication: Short,
      blockSize: Long,
      progress: Progressable
  ): FSDataOutputStream = {
    hit("create")
    val out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress)
    new FSDataOutputStream(new FaultyFileSystem.FaultyStream(out), null)
  }

  override def rename(src: Path, dst: Path): Boolean = { hit("rename"); super.rename(src, dst) }

  override def rename(src: Path, dst: Path, options: Options.Rename*): Unit = {
    hit("rename")
    super.rename(src, dst, options: _*)
  }

  override def delete(f: Path, recursive: Boolean): Boolean = { hit("delete"); super.delete(f, recursive) }

  override def mkdirs(f: Path, permission: FsPermission): Boolean = { hit("mkdirs"); super.mkdirs(f, permission) }

  override def listStatus(f: Path): Array[FileStatus] = { hit("list"); super.listStatus(f) }
}

object FaultyFileSystem {

  val Operations: Seq[String] = Seq("list", "open", "mkdirs", "create", "write", "rename", "delete")

  @volatile private var armed: Option[(String, Int)] = None
  @volatile private var change: Option[(String, Int, () => Unit)] = None
  private val calls = new java.util.concurrent.ConcurrentHashMap[String, Int]()

  /** From now on, the `n`th call of `operation` fails (counting from 1). */
  def failAt(operation: String, n: Int): Unit = { calls.clear(); armed = Some(operation -> n) }

  /** From now on, just before the `n`th call of `operation`, `action` runs (once): a file changes under the merge. */
  def changeAt(operation: String, n: Int)(action: () => Unit): Unit = {
    calls.clear(); change = Some((operation, n, action))
  }

  def disarm(): Unit = { armed = None; change = None }

  /** Whether the armed fault was reached. */
  def fired: Boolean = armed.exists { case (op, n) => calls.getOrDefault(op, 0) >= n }

  private def hit(operation: String): Unit = {
    val count = calls.merge(operation, 1, (a: Int, b: Int) => a + b)
    change.foreach { case (op, n, action) => if (op == operation && n == count) { change = None; action() } }
    if (armed.contains(operation -> count)) throw new IOException(s"injected fault: $operation number $count")
  }

  /** Fails the armed write, as a full disk or a lost connection would. */
  private final class FaultyStream(out: java.io.OutputStream) extends java.io.OutputStream {
    override def write(b: Int): Unit = { hit("write"); out.write(b) }
    override def write(b: Array[Byte], off: Int, len: Int): Unit = { hit("write"); out.write(b, off, len) }
    override def flush(): Unit = out.flush()
    override def close(): Unit = out.close()
  }

  /** The raw local file system, answering to `faulty://` paths. */
  final class LocalUnderScheme extends org.apache.hadoop.fs.RawLocalFileSystem {
    override def getUri: URI = URI.create("faulty:///")
    override def checkPath(path: Path): Unit = ()
  }
}
