package sparkmerge

import java.io.{BufferedReader, InputStreamReader}
import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.{Files, Paths}
import java.util.UUID

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.scalatest.{BeforeAndAfterAll, Suite}

/**
 * A real S3 server (moto's, dev/s3_server.py) on 127.0.0.1 for a whole suite, reached through Hadoop's real S3A
 * connector. The Python that runs it is `SPARKMERGE_PYTHON` (make sets the project's .venv, where moto is).
 */
trait S3Server extends BeforeAndAfterAll { this: Suite =>

  val bucket = "sparkmerge-test"
  val otherBucket = "sparkmerge-other"

  private var server: Process = _
  private var endpointUri: String = _

  /** The S3A settings a user would give for this server; each test's paths are under a prefix of their own. */
  def s3Conf: Configuration = {
    val conf = new Configuration()
    Seq(
      "fs.s3a.endpoint" -> endpointUri,
      "fs.s3a.endpoint.region" -> "us-east-1",
      "fs.s3a.path.style.access" -> "true",
      "fs.s3a.connection.ssl.enabled" -> "false",
      "fs.s3a.access.key" -> "sparkmerge",
      "fs.s3a.secret.key" -> "sparkmerge",
      "fs.s3a.aws.credentials.provider" -> "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
      "fs.s3a.bucket.probe" -> "0",
      "fs.s3a.attempts.maximum" -> "2",
      "fs.s3a.retry.limit" -> "2",
      "fs.s3a.retry.interval" -> "100ms",
      // A small maximum part: a part of 30 MiB is copied as several ranges, with no 5 GiB of test data.
      "sparkmerge.s3.max-part-size" -> "12M"
    ).foreach { case (k, v) => conf.set(k, v) }
    conf
  }

  /** A fresh prefix for one test: s3a://bucket/<uuid>. */
  def s3Prefix(): String = s"s3a://$bucket/${UUID.randomUUID()}"

  override def beforeAll(): Unit = {
    val python = sys.env.getOrElse(
      "SPARKMERGE_PYTHON",
      sys.error("set SPARKMERGE_PYTHON to a Python with moto (make test-jvm sets the project's .venv)")
    )
    val script = Iterator
      .iterate(Paths.get("").toAbsolutePath)(_.getParent)
      .takeWhile(_ != null)
      .map(_.resolve("dev/s3_server.py"))
      .find(Files.exists(_))
      .getOrElse(sys.error("dev/s3_server.py not found above the working directory"))
    server = new ProcessBuilder(python, script.toString, "--bucket", bucket, "--bucket", otherBucket)
      .redirectError(ProcessBuilder.Redirect.INHERIT)
      .start()
    val lines = new BufferedReader(new InputStreamReader(server.getInputStream, UTF_8))
    endpointUri = Option(lines.readLine()).filter(_.startsWith("http://127.0.0.1:")).getOrElse {
      server.destroyForcibly()
      sys.error("the S3 server did not start: see its error output above")
    }
    super.beforeAll()
  }

  override def afterAll(): Unit =
    try super.afterAll()
    finally {
      // Hadoop caches a file system per bucket: the next suite's server is on another port.
      Seq(bucket, otherBucket).foreach(b => new Path(s"s3a://$b/").getFileSystem(s3Conf).close())
      if (server != null) {
        server.getOutputStream.close() // the end of its input stops it
        if (!server.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) server.destroyForcibly()
      }
    }

  def s3Write(path: String, bytes: Array[Byte]): Path = {
    val p = new Path(path)
    val out = p.getFileSystem(s3Conf).create(p, true)
    try out.write(bytes)
    finally out.close()
    p
  }

  def s3Read(path: String): Array[Byte] = {
    val p = new Path(path)
    val in = p.getFileSystem(s3Conf).open(p)
    try in.readAllBytes()
    finally in.close()
  }

  def s3Exists(path: String): Boolean = {
    val p = new Path(path)
    p.getFileSystem(s3Conf).exists(p)
  }
}
