package sparkmerge.parts

import java.io.FileNotFoundException
import java.nio.file.{Files, LinkOption, Path => NioPath}

import org.apache.hadoop.fs.{FileSystem, Path, RawLocalFileSystem}

/**
 * Where a path really is, as its file system sees it: which store (one NameNode is one store, however its
 * host is written: `hdfs://localhost:8020` and `hdfs://127.0.0.1:8020`), and the path with every link
 * resolved. Two paths compared by their text can be apart and the same file; compared this way they cannot.
 */
private[sparkmerge] final case class RealLocation(store: String, path: String) {

  /** This location is `dir` or lies below it. */
  def within(dir: RealLocation): Boolean =
    store == dir.store && (path == dir.path || path.startsWith(dir.path.stripSuffix("/") + "/"))
}

private[sparkmerge] object RealLocation {

  def of(fs: FileSystem, path: Path): RealLocation = DataFileSystem.of(fs) match {
    case local: RawLocalFileSystem => RealLocation("file", realLocal(local.pathToFile(path).toPath))
    case _                         =>
      val authority = Option(fs.getUri.getAuthority).getOrElse("")
      // HDFS's delegation-token service: the NameNode's address as an IP and port, or an HA nameservice's name.
      // Elsewhere the authority (a bucket, a container and account): Hadoop's default service name looks the
      // host up, which a connector behind a private endpoint or a proxy never does, and may not resolve.
      val store =
        if (HdfsSchemes(fs.getUri.getScheme)) Option(fs.getCanonicalServiceName).getOrElse(authority) else authority
      RealLocation(s"${fs.getUri.getScheme}://$store", realRemote(fs, fs.makeQualified(path)))
  }

  private val HdfsSchemes = Set("hdfs", "webhdfs", "swebhdfs")

  /** The deepest part of the path that exists, with its links resolved, and the rest of the path after it. */
  private def realLocal(path: NioPath): String = {
    val absolute = path.toAbsolutePath.normalize
    Iterator
      .iterate(absolute)(_.getParent)
      .takeWhile(_ != null)
      .find(Files.exists(_, LinkOption.NOFOLLOW_LINKS))
      .map(existing => existing.toRealPath().resolve(existing.relativize(absolute)).normalize.toString)
      .getOrElse(absolute.toString)
  }

  private def realRemote(fs: FileSystem, path: Path): String = {
    val missing = Iterator
      .iterate(Option(path))(_.flatMap(p => Option(p.getParent)))
      .takeWhile(_.isDefined)
      .flatten
      .map(p => p -> resolved(fs, p))
      .collectFirst { case (p, Some(real)) => (p, real) }
    missing.fold(path.toUri.getPath) { case (existing, real) =>
      val rest = path.toUri.getPath.stripPrefix(existing.toUri.getPath)
      (real.toUri.getPath.stripSuffix("/") + "/" + rest.stripPrefix("/")).stripSuffix("/")
    }
  }

  private def resolved(fs: FileSystem, path: Path): Option[Path] =
    try Some(fs.resolvePath(path))
    catch { case _: FileNotFoundException => None }
}
