package sparkmerge.objectstore

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.FileSystem

import sparkmerge.{InvalidOptionException, Settings}

/**
 * The compose calls of a file system, where it is Google's GCS connector and this jar can reach them. The
 * connector is the cluster's (Dataproc has it; elsewhere `--jars` or `--packages`), never bundled here.
 */
private[sparkmerge] object GcsStores {

  private val Connector = "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem"

  /** `false` turns the store's composes off: every byte then goes through this JVM (to compare, or to debug). */
  val ServerSideKey = "sparkmerge.gcs.server-side"

  /**
   * None where `fs` is not Google's connector; else its store, or why there is none: the merge then copies
   * through this JVM, and says why. `conf` is the merge's configuration, which may differ from the file system's.
   */
  def of(fs: FileSystem, conf: Configuration): Option[Either[String, ComposeStore]] =
    if (!isConnector(fs.getClass)) None
    else if (!ServerSide.on(conf, ServerSideKey))
      Some(Left(s"the store's own composes are turned off ($ServerSideKey=false)"))
    else if (Option(fs.getConf.getTrimmed("fs.gs.encryption.key")).exists(_.nonEmpty))
      Some(Left("the bucket encrypts with customer-supplied keys, which a compose would need for every source"))
    else
      try Some(Right(ConnectorComposeStore.of(fs)))
      catch {
        case e @ (_: ReflectiveOperationException | _: LinkageError | _: ClassCastException) =>
          Some(
            Left(s"this GCS connector does not offer the compose calls sparkmerge makes (${e.getClass.getSimpleName})")
          )
      }

  /** The composes of one merge under way at once. */
  def threads(conf: Configuration): Int = {
    val threads = conf.getInt(Settings.GcsThreads.key, Settings.GcsThreads.default.toInt)
    if (threads < 1 || threads > 64)
      throw new InvalidOptionException(s"${Settings.GcsThreads.key} must lie between 1 and 64, not $threads")
    threads
  }

  /** Whether `c` is Google's connector, or a class of it. */
  def isConnector(c: Class[_]): Boolean = c != null && (c.getName == Connector || isConnector(c.getSuperclass))
}
