package sparkmerge

/** The first line of an exception's message, for one-line errors and log lines; its class name if it has none. */
object FirstLine {
  def of(e: Throwable): String =
    Option(e.getMessage).flatMap(_.linesIterator.map(_.trim).find(_.nonEmpty)).getOrElse(e.getClass.getSimpleName)
}
