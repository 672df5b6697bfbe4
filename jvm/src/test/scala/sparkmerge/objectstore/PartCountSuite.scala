package sparkmerge
package objectstore

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import sparkmerge.format.Codec
import sparkmerge.plan.{MergePlan, Piece, Strategy}

/** S3 takes at most 10,000 parts: the plan's ranges and gathered runs are laid out to fit, before any call. */
class PartCountSuite extends AnyFunSuite with Matchers {

  private val MiB = 1L << 20

  private def plan(count: Int, each: Long): MergePlan =
    MergePlan(
      new Path("s3a://b/out.csv"),
      (0 until count).map(i => Piece.Whole(new Path(f"s3a://b/src/part-$i%05d"), each): Piece).toVector,
      Strategy.ServerSide,
      Codec.Plain,
      count
    )

  test("parts of 5 MiB and more are copied as ranges while they fit in 10,000 parts") {
    MultipartCopy.shortest(plan(100, 6 * MiB), "b", PartLimits()) shouldBe 5 * MiB
    val some = plan(3000, 6 * MiB)
    MultipartCopy.shortest(some, "b", PartLimits().fitting(some.inputBytes)) shouldBe 5 * MiB
  }

  test("with more large parts than fit, the smaller are gathered: the ranges and the uploads fit together") {
    val many = plan(12000, 6 * MiB)
    val limits = PartLimits().fitting(many.inputBytes)
    limits.uploadBytes.toLong should be > 8 * MiB // gathered parts grow, so that they take half the numbers at most
    MultipartCopy.shortest(many, "b", limits) should be > 6 * MiB // every part gathered: no range fits beside
    (many.inputBytes / limits.uploadBytes) should be <= limits.maxParts / 2L
  }

  test("parts in another bucket are never ranges, so they never crowd the ranges out") {
    // Counted as ranges, 20,000 parts would not fit, and the shortest range would grow past them.
    val elsewhere = plan(20000, 6 * MiB)
    MultipartCopy.shortest(elsewhere, "another", PartLimits().fitting(elsewhere.inputBytes)) shouldBe 5 * MiB
  }
}
