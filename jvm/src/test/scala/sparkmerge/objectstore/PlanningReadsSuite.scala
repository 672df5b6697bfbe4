package sparkmerge
package objectstore

import java.nio.charset.StandardCharsets.UTF_8

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * Before a merge on S3 the driver reads a few bytes of each part: magic bytes, the header record, the last byte.
 * Each read must fetch those bytes, not S3A's read-ahead: with many parts the read-ahead would be a share of the
 * data itself crossing the wire.
 */
class PlanningReadsSuite extends AnyFunSuite with Matchers with S3Server {

  private val MiB = 1 << 20

  private def part(index: Int): Array[Byte] = {
    val out = new StringBuilder("id,payload\n")
    var i = index * 1000000
    while (out.length < 5 * MiB + 4096) {
      out.append(f"$i%09d,${"x" * 40}\n")
      i += 1
    }
    out.toString.getBytes(UTF_8)
  }

  test("a merge of 20 large parts with headers fetches a few KiB a part to the driver, not a read-ahead") {
    val dir = s3Prefix()
    val parts = (0 until 20).map(part)
    parts.zipWithIndex.foreach { case (bytes, i) => s3Write(f"$dir/src/part-$i%05d.csv", bytes) }
    val relay = new CountingRelay(new java.net.URI(s3Conf.get("fs.s3a.endpoint")).getPort)
    try {
      val conf = s3Conf
      conf.set("fs.s3a.endpoint", s"http://127.0.0.1:${relay.port}")
      conf.setBoolean("fs.s3a.impl.disable.cache", true) // a file system of its own, that talks through the relay
      val result = Calls.merge(s"$dir/src", s"$dir/out.csv", MergeOptions(header = true), conf)

      result.strategy shouldBe "server-side"
      val header = "id,payload\n".length
      s3Read(s"$dir/out.csv") shouldBe parts.head ++ parts.tail.flatMap(_.drop(header))
      // Every response counts: the listing, the multipart calls and their headers too, besides the reads.
      val perPart = relay.bytesServed / parts.size
      info(s"${relay.bytesServed} bytes crossed the wire for ${parts.map(_.length.toLong).sum} bytes of parts")
      perPart should be < 8192L
    } finally relay.close()
  }
}
