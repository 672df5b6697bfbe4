package sparkmerge
package objectstore

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** An object holds at most 1,024 components: the layout gathers the smallest parts until the count fits. */
class ComposeLayoutSuite extends AnyFunSuite with Matchers {

  private def layout(lengths: IndexedSeq[Long], gaps: Set[Int] = Set.empty, max: Int = 1024) =
    ComposeLayout.of(lengths, _ => true, gaps, max)

  private def count(lengths: IndexedSeq[Long], composed: IndexedSeq[Boolean], gaps: Set[Int] = Set.empty) =
    ComposeLayout.components(lengths, composed, gaps)

  test("parts that fit are all composed, and empty ones are left out") {
    val lengths = Vector(5L, 0L, 7L)
    layout(lengths) shouldBe Vector(true, false, true)
    count(lengths, layout(lengths)) shouldBe 2
  }

  test("parts of one size beyond the limit: one run of the first ones is gathered, the fewest bytes") {
    val lengths = Vector.fill(2000)(10L)
    val composed = layout(lengths)
    count(lengths, composed) shouldBe 1024
    composed.count(!_) shouldBe 2000 - 1023 // one run saves one component for each part it takes in, but one
    composed.indexWhere(identity) shouldBe 2000 - 1023
  }

  test("the smallest parts go first, and a run grows through a gap of line breaks") {
    val lengths = Vector(100L, 1L, 100L, 2L, 100L)
    // 1 and 2, gathered alone, save nothing; 100 beside 1 makes a run: 2 goes back to the store.
    layout(lengths, max = 4) shouldBe Vector(false, false, true, true, true)
    layout(lengths, max = 2) shouldBe Vector(false, false, false, false, true)
    count(lengths, Vector.fill(5)(true), Set(0, 2)) shouldBe 7 // each line break is an object of its own
    layout(lengths, gaps = Set(0, 2), max = 4) shouldBe Vector(false, false, true, false, true)
  }

  test("the count, as the layout keeps it, is the count of the result, whatever the sizes") {
    val random = new scala.util.Random(7)
    (1 to 200).foreach { _ =>
      val lengths = Vector.fill(random.nextInt(60) + 1)(random.nextInt(5).toLong * random.nextInt(100))
      val gaps = lengths.indices.filter(_ => random.nextInt(4) == 0).toSet
      val max = random.nextInt(20) + 1
      val composed = ComposeLayout.of(lengths, _ => random.nextBoolean(), gaps, max)
      val fits = count(lengths, composed, gaps) <= max
      val nothingLeft = composed.forall(!_)
      (fits || nothingLeft) shouldBe true
    }
  }
}
