package sparkmerge
package faults

import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * Every step of a merge fails in turn (the Nth list, open, mkdirs, create, write, rename or delete of the file
 * system), and after each: the target is absent, or the old file, or the whole new one; the sources are all
 * there unless the merge succeeded and was asked to delete them; no hidden file is left.
 */
class FaultSuite extends AnyFunSuite with Matchers with LocalFiles {

  private val faultyConf = {
    val c = new Configuration()
    c.setClass("fs.faulty.impl", classOf[FaultyFileSystem], classOf[org.apache.hadoop.fs.FileSystem])
    c.setBoolean("fs.faulty.impl.disable.cache", true)
    c
  }

  private def faulty(relative: String) = s"faulty://${path(relative)}"

  private val parts = (0 until 6).map(i => f"part-$i%05d.csv" -> (s"h\nrow $i\n" * (i * 300 + 1)))
  private val merged = "h\n" + parts.map(_._2.replaceFirst("h\n", "")).mkString

  private def scenario(options: MergeOptions, old: Option[String]): Unit = {
    parts.foreach { case (name, text) => write(s"src/$name", text) }
    old.foreach(write("out.csv", _))
  }

  private def check(options: MergeOptions, old: Option[String], outcome: Either[Throwable, MergeResult]): Unit = {
    outcome match {
      case Right(_) =>
        read("out.csv") shouldBe merged
        // A source that cannot be deleted once the target is in place is a warning: it stays, whole.
        if (!options.deleteSource) exists("src") shouldBe true
      case Left(error) =>
        error shouldBe a[SparkMergeException]
        error.getMessage.linesIterator.size shouldBe 1
        old match {
          case Some(text) => read("out.csv") shouldBe text
          case None       => exists("out.csv") shouldBe false
        }
    }
    if (exists("src")) parts.foreach { case (name, text) => read(s"src/$name") shouldBe text }
    listing().filter(_.contains("sparkmerge")) shouldBe empty
  }

  for {
    (label, options, old) <- Seq(
      ("a new target", MergeOptions(header = true), None),
      ("an overwrite", MergeOptions(header = true, overwrite = true), Some("old\n")),
      (
        "an overwrite that deletes its source",
        MergeOptions(header = true, overwrite = true, deleteSource = true),
        Some("old\n")
      )
    )
    operation <- FaultyFileSystem.Operations
  } test(s"$label, whichever $operation fails") {
    var n = 1
    var reached = true
    // Bounded: a merge of six parts makes far fewer calls of any one operation.
    while (reached && n <= 40) {
      scenario(options, old)
      FaultyFileSystem.failAt(operation, n)
      val outcome =
        try Right(Calls.merge(faulty("src"), faulty("out.csv"), options, faultyConf))
        catch { case e: Exception => Left(e) }
      reached = FaultyFileSystem.fired
      FaultyFileSystem.disarm()
      withClue(s"$operation number $n: ")(check(options, old, outcome))
      listing().foreach(entry => if (!entry.contains("/")) deleteTree(entry))
      n += 1
    }
    reached shouldBe false // every call of the operation was made to fail once
    info(s"${n - 1} faults injected, each merge checked after it")
  }

  private def deleteTree(relative: String): Unit =
    java.nio.file.Files
      .walk(dir.resolve(relative))
      .sorted(java.util.Comparator.reverseOrder[java.nio.file.Path]())
      .forEach(p => java.nio.file.Files.delete(p))
}
