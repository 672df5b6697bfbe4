package sparkmerge

/** Rules every option map of a call follows, whichever door it came in by. */
private[sparkmerge] object Options {

  /** A key or a value that is missing (a SQL NULL, a Java null) is refused by name, not met later as a crash. */
  def checkValues(options: Map[String, String], where: String): Unit =
    options.foreach { case (key, value) =>
      if (key == null || key.isEmpty)
        throw new InvalidOptionException(s"an option of $where has no name: give each option a name")
      if (value == null)
        throw new InvalidOptionException(s"option '$key' of $where has no value (NULL): give it one, or leave it out")
    }
}
