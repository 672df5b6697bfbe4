package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.publish.{Destination, FileSystemDestination}

/** The destination on an object store: the store's own multipart copy where sparkmerge can call it. */
private[sparkmerge] object ObjectStoreDestination {

  /** For `target` (qualified) on the object store `fs`. */
  def of(target: Path, fs: FileSystem, conf: Configuration): Destination =
    S3AStores.of(fs, conf) match {
      case Right(store) =>
        new MultipartDestination(target, fs, store, PartLimits.of(conf))
      case Left(why) if fs.hasPathCapability(target, StreamingDestination.Abortable) =>
        new StreamingDestination(target, fs, why)
      case Left(_) => new FileSystemDestination(target, fs)
    }
}
