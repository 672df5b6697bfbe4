package sparkmerge.publish

import org.apache.hadoop.fs.Path

/**
 * The merged bytes, whole and checked, waiting to be published at the target. Each destination stages its own
 * kind (a hidden copy, the parts concatenated into one, an open stream, a multipart upload), and only that kind
 * knows how it is published and what a failure leaves.
 */
private[sparkmerge] trait Staged {
  def path: Path
  def length: Long

  /** Parts that had no line break at their end, and got one. */
  def lineBreaksAdded: Int

  /**
   * Puts what was staged at the target, or fails with the target as it was and nothing of a copy left. Returns
   * what the result's reason should add, if anything.
   */
  def publish(overwrite: Boolean): String
}
