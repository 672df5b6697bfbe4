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
 * of the same bucket and user, set for bounded ranges of about the bytes read (a power of two, 1 KiB at least):
 * one per range size, per JVM, for as long as it runs.
 */
private[sparkmerge] object GcsRandomReads {

  private val SmallestRange = 1 << 10

  private val twins = new ConcurrentHashMap[(java.net.URI, String, Int), FileSystem]()

  /**
   * The file system for reads of `bytes` at a time of `fs`'s objects: a twin where `fs` is Google's connector,
   * else `fs` itself.
   */
  def of(fs: FileSystem, bytes: Int): FileSystem =
    if (!GcsStores.isConnector(fs.getClass)) fs
    else {
      val range = Integer.highestOneBit(math.max(bytes, SmallestRange) - 1) << 1
      twins.computeIfAbsent(
        (fs.getUri, UserGroupInformation.getCurrentUser.getUserName, range),
        _ => {
          val conf = new Configuration(fs.getConf)
          conf.set("fs.gs.inputstream.fadvise", "RANDOM")
          conf.setLong("fs.gs.inputstream.min.range.request.size", range.toLong)
          // The listing has just seen the part: no request of its own to ask again before each read.
          conf.setBoolean("fs.gs.inputstream.fast.fail.on.not.found.enable", false)
          FileSystem.newInstance(fs.getUri, conf)
        }
      )
    }
}
