package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.FileSystem

/**
 * The block calls of a file system, where it is hadoop-azure's ABFS connector and this jar can make them. The
 * connector is the cluster's (Databricks and Synapse have it), never bundled here.
 */
private[sparkmerge] object AzureStores {

  private val Connector = "org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem"

  /**
   * `false` turns the store's staging off: every byte then goes through this JVM. `true` also turns it on where
   * it is not tested here (OAuth, hierarchical namespace); unset, those copy.
   */
  val ServerSideKey = "sparkmerge.azure.server-side"

  /**
   * None where `fs` is not the ABFS connector; else its store, or why there is none: the merge then copies
   * through this JVM, and says why. `conf` is the merge's configuration, which may differ from the file system's.
   */
  def of(fs: FileSystem, conf: Configuration): Option[Either[String, MultipartStore]] =
    if (!isConnector(fs.getClass)) None
    else
      ServerSide.setting(conf, ServerSideKey) match {
        case Some(false) => Some(Left(s"the store's own block copies are turned off ($ServerSideKey=false)"))
        case setting     =>
          try Some(BlockBlobStore.of(fs, untested = setting.contains(true)))
          catch {
            case e @ (_: ReflectiveOperationException | _: LinkageError | _: ClassCastException) =>
              Some(
                Left(
                  s"this ABFS connector does not offer the block calls sparkmerge makes (${e.getClass.getSimpleName})"
                )
              )
          }
      }

  private def isConnector(c: Class[_]): Boolean = c != null && (c.getName == Connector || isConnector(c.getSuperclass))
}
