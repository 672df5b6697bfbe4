package sparkmerge.parts

import java.util.concurrent.ConcurrentHashMap

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.FileSystem
import org.apache.hadoop.security.UserGroupInformation

import sparkmerge.objectstore.GcsStores

/**
 * Google's GCS connector takes no read policy per file: what an open fetches is its file system's setting, by
 * default a stream to the object's end, which its HTTP client reads to the end on close. A magic number or a
 * header of each part would cost the whole part. So small reads go through a second instance of the connector
 * of the same bucket and user, set for bounded ranges of a few KiB: one per JVM, for as long as it runs.
 */
private[sparkmerge] object GcsRandomReads {

  /** The smallest range a random read asks the store for: a header record fits, a part does not. */
  val RangeBytes: Int = 16 << 10

  private val twins = new ConcurrentHashMap[(java.net.URI, String), FileSystem]()

  /** The file system for small reads of `fs`'s objects: its twin where `fs` is Google's connector, else itself. */
  def of(fs: FileSystem): FileSystem =
    if (!GcsStores.isConnector(fs.getClass)) fs
    else
      twins.computeIfAbsent(
        (fs.getUri, UserGroupInformation.getCurrentUser.getUserName),
        _ => {
          val conf = new Configuration(fs.getConf)
          conf.set("fs.gs.inputstream.fadvise", "RANDOM")
          conf.setLong("fs.gs.inputstream.min.range.request.size", RangeBytes.toLong)
          FileSystem.newInstance(fs.getUri, conf)
        }
      )
}
