package sparkmerge

/** How the pieces become one file. */
sealed abstract class Strategy(val name: String) {
  override def toString: String = name
}

object Strategy {

  /** Read every piece and write it to a new file: works on any file system, costs one pass over the data. */
  case object Copy extends Strategy("copy")
}
