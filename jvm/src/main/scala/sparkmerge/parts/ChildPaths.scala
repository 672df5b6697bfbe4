package sparkmerge.parts

import java.net.URI

import org.apache.hadoop.fs.Path

/**
 * `dir/name`, with `name` taken as a file name and never parsed as a URI: `new Path(dir, "a:b")` would read `a`
 * as a scheme, and a colon is legal in a file name.
 */
private[sparkmerge] object ChildPaths {

  def of(dir: Path, name: String): Path = in(dir)(name)

  // `new Path(dir, name)` parses the name as a URI of its own and resolves it against the directory's, and
  // `new Path(scheme, authority, path)` quotes, joins and parses again: for many small parts either costs more
  // than listing the directory. The directory's URI is already quoted, so a name of plain characters (every
  // name Spark gives a part) is appended and parsed once; any other name takes Hadoop's way.
  /** The paths of the entries of `dir`, by name: for many names, the directory's URI taken apart once. */
  def in(dir: Path): String => Path = {
    val uri = dir.toUri
    val prefix = uri.toString.stripSuffix("/") + "/"
    val parent = uri.getPath.stripSuffix("/")
    name =>
      if (name.forall(c => c.isLetterOrDigit && c < 128 || c == '-' || c == '_' || c == '.'))
        new Path(new URI(prefix + name))
      else new Path(uri.getScheme, uri.getAuthority, s"$parent/$name")
  }
}
