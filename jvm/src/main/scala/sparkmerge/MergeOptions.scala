package sparkmerge

/**
 * What a caller may ask of one merge.
 *
 * @param header       every part starts with the same header record; keep it once
 * @param overwrite    replace an existing target file
 * @param deleteSource remove the source directory once the target is in place
 * @param bufferBytes  the copy buffer; large, since each read and write is a system call or an RPC
 */
final case class MergeOptions(
    header: Boolean = false,
    overwrite: Boolean = false,
    deleteSource: Boolean = false,
    bufferBytes: Int = MergeOptions.DefaultBufferBytes
) {
  if (bufferBytes < 4096)
    throw new InvalidOptionException(s"bufferBytes must be at least 4096, not $bufferBytes")
}

object MergeOptions {
  val DefaultBufferBytes: Int = 4 << 20
}
