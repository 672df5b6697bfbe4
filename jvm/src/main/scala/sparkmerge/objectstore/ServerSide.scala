package sparkmerge.objectstore

import java.util.Locale

import org.apache.hadoop.conf.Configuration

import sparkmerge.InvalidOptionException

/**
 * A store's `sparkmerge.<store>.server-side` switch, read once for every store. Hadoop's `getBoolean` takes a
 * value it cannot read as the default, so a misspelt `flase` would leave the store's copies on unsaid: here it
 * is refused, naming the key and the values it takes.
 */
private[sparkmerge] object ServerSide {

  /** The switch's value: None where it is not set. */
  def setting(conf: Configuration, key: String): Option[Boolean] =
    Option(conf.getTrimmed(key)).map(_.toLowerCase(Locale.ROOT)) match {
      case None          => None
      case Some("true")  => Some(true)
      case Some("false") => Some(false)
      case Some(other)   => throw new InvalidOptionException(s"$key must be true or false, not '$other'")
    }

  /** Whether the store's own copies are on: unless set to false. */
  def on(conf: Configuration, key: String): Boolean = !setting(conf, key).contains(false)
}
