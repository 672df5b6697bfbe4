package sparkmerge.plan

import java.util.Locale

import org.apache.hadoop.fs.Path

import sparkmerge.{InvalidOptionException, UnsupportedFormatException}

/**
 * What a merge does where a part's last line has no line break and another part follows: joined as they are,
 * that line would run into the next part's first. Spark ends every line it writes; other tools may not.
 *
 * @param separator the line break the parts use
 * @param add       add it where it is missing (the default: every line stays whole, at the cost of bytes the
 *                  parts did not have); or refuse the merge, naming the part
 */
private[sparkmerge] final case class LineBreaks(separator: String, add: Boolean) {
  def bytes: Array[Byte] = separator.getBytes(java.nio.charset.StandardCharsets.US_ASCII)

  def describe: String =
    s"${if (add) "add" else "refuse"} a missing '${separator.replace("\r", "\\r").replace("\n", "\\n")}'"

  /** The refusal of a part that ends without the line break, where the policy is to refuse. */
  def refusal(part: Path): UnsupportedFormatException =
    new UnsupportedFormatException(
      s"$part does not end with a line break, so its last line would run into the next part's first: merge " +
        "with missing newlines added, or end the part's last line"
    )
}

private[sparkmerge] object LineBreaks {

  val Policies: Seq[String] = Seq("add", "refuse")

  /** `policy` as the caller names it ("add" or "refuse"), for parts that end their lines with `separator`. */
  def parse(policy: String, separator: Option[String], where: String): LineBreaks =
    policy.toLowerCase(Locale.ROOT) match {
      case "add"    => LineBreaks(separator.getOrElse("\n"), add = true)
      case "refuse" => LineBreaks(separator.getOrElse("\n"), add = false)
      case _        =>
        throw new InvalidOptionException(
          s"missing newline policy must be ${Policies.mkString(" or ")}, not '$policy', for $where"
        )
    }
}
