package sparkmerge

/**
 * What a merge did: the file it published, how many data files went into it, its length, how, how long, and
 * why that way (why concat could not be used, for instance). `bytesAhead` of the bytes were copied while
 * Spark still wrote, before the merge's own time began.
 */
final case class MergeResult(
    target: String,
    files: Int,
    bytes: Long,
    strategy: String,
    millis: Long,
    reason: String = "",
    bytesAhead: Long = 0L
) {
  def seconds: Double = millis / 1000.0

  /** The speed of the merge's own copying: bytes copied ahead took none of its time. */
  def mibPerSecond: Double = if (millis <= 0) 0.0 else (bytes - bytesAhead) / 1048576.0 / seconds

  override def toString: String =
    f"MergeResult($target, files=$files, bytes=$bytes, strategy=$strategy, seconds=$seconds%.3f, reason=$reason)"
}

object MergeResult {

  /** Nothing written: the DataFrame writer's mode `ignore` found the target. */
  private[sparkmerge] def skipped(target: String): MergeResult = MergeResult(target, 0, 0L, "skipped", 0L)
}
