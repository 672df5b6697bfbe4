package sparkmerge
package parts

import java.net.URI

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FilterFileSystem, Path, RawLocalFileSystem}
import org.apache.hadoop.security.SecurityUtil
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/** Comparing paths needs nothing of the network that the file system itself does not. */
class RealLocationSuite extends AnyFunSuite with Matchers {

  /** The local disk under an account's host name that does not resolve, as a connector behind a proxy sees it. */
  private final class Unresolvable extends FilterFileSystem(new RawLocalFileSystem) {
    override def getUri: URI = URI.create("abfs://container@account.dfs.core.invalid")
    override def getScheme: String = "abfs"
    override def makeQualified(path: Path): Path = path
    override def resolvePath(p: Path): Path = super.resolvePath(new Path(p.toUri.getPath))
    // Hadoop's own default, which ABFS keeps: FilterFileSystem would ask the local disk instead.
    override def getCanonicalServiceName: String = SecurityUtil.buildDTServiceName(getUri, 443)
  }

  test("a store whose host does not resolve is told by its authority, with no lookup") {
    val fs = new Unresolvable
    fs.initialize(fs.getUri, new Configuration(false))
    an[IllegalArgumentException] should be thrownBy fs.getCanonicalServiceName // what the lookup gave before
    val dir = RealLocation.of(fs, new Path("/tmp"))
    dir.store shouldBe "abfs://container@account.dfs.core.invalid"
    RealLocation.of(fs, new Path("/tmp/x/y.csv")).within(dir) shouldBe true
  }
}
