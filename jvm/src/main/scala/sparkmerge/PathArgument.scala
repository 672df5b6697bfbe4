package sparkmerge

import org.apache.hadoop.fs.Path

/** A path as a caller gave it, made a Hadoop path, or refused with an error that names it. */
private[sparkmerge] object PathArgument {

  /** @param role what the path is for, as the caller calls it: "source", "target", "path" */
  def parse(text: String, role: String): Path = {
    if (text == null || text.trim.isEmpty)
      throw new InvalidOptionException(s"$role must not be empty: give a path, or a URI such as hdfs:///dir/file")
    try new Path(text)
    catch {
      case e: IllegalArgumentException =>
        throw new InvalidLayoutException(s"$role '$text' is not a path Hadoop can read: ${FirstLine.of(e)}")
    }
  }
}
