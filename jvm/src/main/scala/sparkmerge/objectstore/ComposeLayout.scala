package sparkmerge.objectstore

/**
 * Which pieces of a merge the store composes as they are, and which this JVM reads and uploads: the target
 * becomes a run of components, each a whole object the store has (a part) or one this JVM wrote (the bytes of
 * every piece between two composed ones, gathered). A store allows only so many components in an object: while
 * there are more, the smallest composed piece is gathered instead, so the gathered runs grow and join until the
 * count fits. The order of the bytes never changes.
 */
private[sparkmerge] object ComposeLayout {

  /**
   * For each piece, whether the store composes it. `lengths` are the pieces' bytes (empty ones add nothing),
   * `composable` says which the store could take as they are, and `gapAfter` which are followed by bytes of
   * this JVM's whatever the layout (a line break after a composed piece).
   */
  def of(
      lengths: IndexedSeq[Long],
      composable: Int => Boolean,
      gapAfter: Int => Boolean,
      maxComponents: Int
  ): IndexedSeq[Boolean] = {
    val composed = Array.tabulate(lengths.size)(i => lengths(i) > 0 && composable(i))
    val present = lengths.indices.filter(lengths(_) > 0)
    // A piece's neighbours in the object: gathered bytes on a side join its run when it is gathered too.
    def gatheredBefore(at: Int): Boolean =
      at > 0 && { val j = present(at - 1); gapAfter(j) || !composed(j) }
    def gatheredAfter(at: Int): Boolean =
      gapAfter(present(at)) || (at + 1 < present.size && !composed(present(at + 1)))
    var count = components(lengths, composed.toIndexedSeq, gapAfter)
    // Smallest first; among equals, the earliest, so that parts of one size join into one run.
    val smallest = present.indices.filter(at => composed(present(at))).sortBy(at => (lengths(present(at)), at))
    val next = smallest.iterator
    val demoted = Vector.newBuilder[Int]
    while (count > maxComponents && next.hasNext) {
      val at = next.next()
      count -= (if (gatheredBefore(at)) 1 else 0) + (if (gatheredAfter(at)) 1 else 0)
      composed(present(at)) = false
      demoted += at
    }
    // A part gathered alone, no run beside it, saved nothing: the store composes it after all.
    demoted.result().foreach { at =>
      if (!gatheredBefore(at) && !gatheredAfter(at)) composed(present(at)) = true
    }
    composed.toIndexedSeq
  }

  /** How many components the layout makes: the composed pieces and the gathered runs between them. */
  def components(lengths: IndexedSeq[Long], composed: IndexedSeq[Boolean], gapAfter: Int => Boolean): Int = {
    var count = 0
    var gathering = false
    lengths.indices.foreach { i =>
      if (composed(i)) {
        count += 1
        gathering = false
      } else if (lengths(i) > 0 && !gathering) {
        count += 1
        gathering = true
      }
      if (gapAfter(i) && !gathering) {
        count += 1
        gathering = true
      }
    }
    math.max(count, 1) // nothing at all is still one object, empty
  }
}
