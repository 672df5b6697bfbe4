package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.publish.{Destination, FileSystemDestination}

/**
 * The destination on an object store: the store's own compose (GCS), staged blocks (Azure) or multipart copy (S3)
 * where sparkmerge can call it.
 */
private[sparkmerge] object ObjectStoreDestination {

  /** For `target` (qualified) on the object store `fs`. */
  def of(target: Path, fs: FileSystem, conf: Configuration): Destination =
    GcsStores.of(fs, conf) match {
      case Some(Right(store)) => new ComposeDestination(target, fs, store, GcsStores.threads(conf))
      case Some(Left(why))    => streaming(target, fs, why)
      case None               =>
        S3AStores.of(fs, conf) match {
          case Right(store) =>
            new MultipartDestination(target, fs, store, PartLimits.of(conf), S3AStores.whyNoCopies(fs))
          case Left(why) => streaming(target, fs, why)
        }
    }

  /**
   * For `target` on Azure through the ABFS connector: its staged blocks, or the connector's own writes and
   * rename (atomic where the account has a hierarchical namespace), with the reason. None for other file systems.
   */
  def azure(target: Path, fs: FileSystem, conf: Configuration): Option[Destination] =
    AzureStores.of(fs, conf).map {
      case Right(store) => new MultipartDestination(target, fs, store, PartLimits.of(conf, PartLimits.Azure))
      case Left(why)    => new FileSystemDestination(target, fs, Some(why))
    }

  private def streaming(target: Path, fs: FileSystem, why: String): Destination =
    if (fs.hasPathCapability(target, StreamingDestination.Abortable)) new StreamingDestination(target, fs, why)
    else new FileSystemDestination(target, fs, Some(why))
}
