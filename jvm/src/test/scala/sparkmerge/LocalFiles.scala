package sparkmerge

import java.io.ByteArrayOutputStream
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Path => JPath}
import java.util.Comparator

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}
import org.scalatest.{BeforeAndAfterEach, Suite}

import sparkmerge.format.Codec

/** A fresh local directory for each test, and the few file operations the suites check bytes with. */
trait LocalFiles extends BeforeAndAfterEach { this: Suite =>

  val conf = new Configuration()
  def localFs: FileSystem = FileSystem.getLocal(conf)

  private var root: JPath = _
  def dir: JPath = root

  override def beforeEach(): Unit = {
    root = Files.createTempDirectory("sparkmerge-test")
    super.beforeEach()
  }

  override def afterEach(): Unit = {
    try super.afterEach()
    finally Files.walk(root).sorted(Comparator.reverseOrder[JPath]()).forEach(p => Files.delete(p))
  }

  def write(relative: String, text: String): JPath = writeBytes(relative, text.getBytes(UTF_8))

  def writeBytes(relative: String, bytes: Array[Byte]): JPath = {
    val file = root.resolve(relative)
    Files.createDirectories(file.getParent)
    Files.write(file, bytes)
  }

  def read(relative: String): String = new String(readBytes(relative), UTF_8)

  def readBytes(relative: String): Array[Byte] = Files.readAllBytes(root.resolve(relative))

  def exists(relative: String): Boolean = Files.exists(root.resolve(relative))

  def path(relative: String): String = root.resolve(relative).toString

  def hadoopPath(relative: String): Path = new Path(root.resolve(relative).toUri)

  /** Every entry below `relative`, as relative names, to show that nothing else appeared or went. */
  def listing(relative: String = "."): Seq[String] = {
    val base = root.resolve(relative).normalize
    val all = Files.walk(base).iterator()
    val names = Seq.newBuilder[String]
    while (all.hasNext) names += base.relativize(all.next()).toString
    names.result().filter(_.nonEmpty).sorted
  }

  def gzip(text: String): Array[Byte] = encoded(Codec.Gzip, text)

  final def encoded(codec: Codec, text: String): Array[Byte] = {
    val bytes = new ByteArrayOutputStream()
    val out = codec.encode(bytes)
    out.write(text.getBytes(UTF_8))
    out.close()
    bytes.toByteArray
  }

  final def decoded(codec: Codec, relative: String): String = {
    val in = codec.decode(Files.newInputStream(root.resolve(relative)))
    try new String(in.readAllBytes(), UTF_8)
    finally in.close()
  }
}
