package sparkmerge
package writer

import java.nio.channels.FileChannel

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class DirectAppendSuite extends AnyFunSuite with Matchers with LocalFiles {

  /** Lengths around the 4 KiB alignment and the 8 KiB buffer, an empty file among them. */
  private val lengths = Seq(1, 4095, 4096, 4097, 0, 8191, 8192, 8193, 20000, 3)

  private def input(i: Int, length: Int): String = {
    val bytes = Array.tabulate[Byte](length)(j => ('a' + (i + j) % 26).toByte)
    writeBytes(s"in/$i", bytes)
    s"in/$i"
  }

  private def append(out: DirectAppend, relative: String): Long = {
    val in = FileChannel.open(dir.resolve(relative))
    try out.append(in)
    finally in.close()
  }

  test("files of any length are appended byte for byte, and the file ends at the exact length") {
    val inputs = lengths.zipWithIndex.map { case (length, i) => input(i, length) }
    val out = new DirectAppend(dir.resolve("out"), 8192)
    val appended = inputs.map(append(out, _))
    out.close(appended.sum)

    appended shouldBe lengths
    readBytes("out") shouldBe inputs.flatMap(readBytes).toArray
  }

  test("closing at a shorter length cuts off a piece appended in part") {
    val first = input(0, 10000)
    val second = input(1, 30000)
    val out = new DirectAppend(dir.resolve("out"), 8192)
    val kept = append(out, first)
    append(out, second)
    out.close(kept)

    readBytes("out") shouldBe readBytes(first)
  }

  test("it never writes over an existing file") {
    write("out", "keep\n")
    an[java.nio.file.FileAlreadyExistsException] should be thrownBy new DirectAppend(dir.resolve("out"), 8192)
    read("out") shouldBe "keep\n"
  }
}
