package sparkmerge.plan

/** How the pieces become one file. */
private[sparkmerge] sealed abstract class Strategy(val name: String) {
  override def toString: String = name
}

private[sparkmerge] object Strategy {

  /** Read every piece and write it to a new file: works on any file system, costs one pass over the data. */
  case object Copy extends Strategy("copy")

  /**
   * HDFS concat: the parts' blocks become the target's in one NameNode transaction, whatever their size.
   * Consumes the parts, so it is chosen only where they may go.
   */
  case object Concat extends Strategy("concat")

  /**
   * S3's multipart upload copy: the store assembles the target from byte ranges of the parts, which never pass
   * through this JVM; only parts too small for a range of their own are read and uploaded. Keeps the parts.
   */
  case object ServerSide extends Strategy("server-side")
}
