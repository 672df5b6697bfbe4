package sparkmerge

/**
 * What a caller may ask of one merge.
 *
 * @param header       every part starts with the same header record; keep it once
 * @param overwrite    replace an existing target file
 * @param deleteSource remove the source directory once the target is in place
 * @param bufferBytes  the copy buffer; large, since each read and write is a system call or an RPC
 * @param partOptions  how the parts were written, by Spark's option names: `sep`, `quote`, `escape`, `lineSep`,
 *                     `encoding`, to find where a header record ends, and `lineSep` for where lines end
 * @param missingNewline what to do where a part's last line has no line break and another part follows:
 *                     `add` one (the default), or `refuse` the merge
 */
final case class MergeOptions(
    header: Boolean = false,
    overwrite: Boolean = false,
    deleteSource: Boolean = false,
    bufferBytes: Int = MergeOptions.DefaultBufferBytes,
    partOptions: Map[String, String] = Map.empty,
    missingNewline: String = "add"
) {
  if (missingNewline == null)
    throw new InvalidOptionException("missing newline policy has no value (NULL): give add or refuse")
  if (partOptions == null) throw new InvalidOptionException("the part options are null: give an empty map")
  Options.checkValues(partOptions, "the merge")
  if (bufferBytes < 4096)
    throw new InvalidOptionException(s"bufferBytes must be at least 4096, not $bufferBytes")
}

object MergeOptions {
  val DefaultBufferBytes: Int = 4 << 20
}
