package sparkmerge

import java.io.IOException
import java.nio.file.{AccessDeniedException, NoSuchFileException}

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** One line that says what happened and where, whatever the exception under it. */
class FirstLineSuite extends AnyFunSuite with Matchers {

  test("Java's file exceptions, whose message is only a path, are said in words") {
    FirstLine.of(new AccessDeniedException("/data/part-00001")) shouldBe "permission denied: /data/part-00001"
    FirstLine.of(new NoSuchFileException("/data/a", "/data/b", null)) shouldBe
      "no such file or directory: /data/a: /data/b"
    FirstLine.of(new AccessDeniedException("/data/x", null, "read-only file system")) shouldBe
      "read-only file system: /data/x"
  }

  test("other messages give their first line that says something; none gives the class") {
    FirstLine.of(new IOException("\n  disk full\nat line 2")) shouldBe "disk full"
    FirstLine.of(new IOException(null: String)) shouldBe "IOException"
  }
}
