package sparkmerge.parts

import org.apache.hadoop.fs.FileSystem

/**
 * The stores that keep objects, not files: a rename there is a copy of the data and a delete, a read is an HTTP
 * request, and an object appears whole when its upload completes. Known by scheme, as Hadoop names them.
 */
private[sparkmerge] object ObjectStores {

  private val Schemes = Set("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs")

  def is(fs: FileSystem): Boolean = Option(fs.getUri.getScheme).exists(s => Schemes(s.toLowerCase))

  /**
   * Azure through the ABFS connector: blobs too, but where the account has a hierarchical namespace a rename is
   * atomic, so it is not among [[is]]'s stores, and gets the destinations of its own where it can.
   */
  def isAzure(fs: FileSystem): Boolean = Option(fs.getUri.getScheme).exists(s => s == "abfs" || s == "abfss")
}
