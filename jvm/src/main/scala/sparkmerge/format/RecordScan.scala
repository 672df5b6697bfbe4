package sparkmerge.format

/**
 * Finds where one CSV record ends in bytes, by a [[CsvDialect]], and counts its fields. Inside quotes, a
 * doubled quote is data whatever the escape, as CSV readers (Spark's among them) take it.
 */
private[sparkmerge] object RecordScan {

  /**
   * The end (after its line separator) and the field count of the record that starts at `from` in the first
   * `size` bytes of `data`; None if it does not end within them. At the end of the input (`atEnd`) a record ends
   * there, unless a quote is still open.
   */
  def apply(data: Array[Byte], size: Int, from: Int, dialect: CsvDialect, atEnd: Boolean): Option[(Int, Int)] = {
    val quote = dialect.quote.fold(-1)(_.toInt)
    val escape = dialect.escape.fold(-1)(_.toInt)
    var i = from
    var fields = 1
    var fieldStart = true
    var quoted = false
    var end = -1
    while (end < 0 && i < size) {
      val b = data(i).toInt
      if (quoted) {
        if (b == escape && escape != quote) i += 2 // the escaped byte is data, whatever it is
        else if (b == quote && i + 1 < size && data(i + 1) == quote) i += 2 // a doubled quote is data
        else {
          if (b == quote) quoted = false
          i += 1
        }
      } else if (fieldStart && b == quote) {
        quoted = true
        fieldStart = false
        i += 1
      } else {
        val separator = lineEnd(data, size, i, dialect)
        if (separator > 0) end = i + separator
        else if (startsWith(data, size, i, dialect.sep)) {
          fields += 1
          fieldStart = true
          i += dialect.sep.length
        } else {
          fieldStart = false
          i += 1
        }
      }
    }
    if (end >= 0) Some((end, fields))
    else if (atEnd && !quoted && size > from) Some((size, fields))
    else None
  }

  // The length of the line separator at `i`, or 0: `\n` (a `\r` before it is already in the record) by default.
  private def lineEnd(data: Array[Byte], size: Int, i: Int, dialect: CsvDialect): Int =
    dialect.lineSep match {
      case Some(separator) => if (startsWith(data, size, i, separator)) separator.length else 0
      case None            => if (data(i) == '\n') 1 else 0
    }

  private def startsWith(data: Array[Byte], size: Int, i: Int, bytes: Array[Byte]): Boolean =
    i + bytes.length <= size && bytes.indices.forall(k => data(i + k) == bytes(k))
}
