package sparkmerge.objectstore

import org.apache.hadoop.fs.Path

/**
 * The calls of a store that builds an object from whole objects of its bucket (Google Cloud Storage's
 * `objects.compose`), made with the client of the user's own file system. What the rest of sparkmerge sees of
 * [[ConnectorComposeStore]].
 */
private[sparkmerge] trait ComposeStore {

  /** The bucket, as in `gs://bucket/`. */
  def bucket: String

  /** The object name of a path in this bucket. */
  def name(path: Path): String

  /** The generation of the live object called `name`, or None if there is none. */
  def generation(name: String): Option[Long]

  /**
   * Builds `destination` from `sources` (at most [[ComposeStore.MaxSources]]), in order, only if its live
   * generation is `ifGeneration` (0: only if there is no such object): the store checks and writes in one step.
   */
  def compose(sources: Seq[String], destination: String, ifGeneration: Long): ComposeStore.Composition

  /** Removes the objects; those already gone are no error. */
  def delete(names: Seq[String]): Unit
}

private[sparkmerge] object ComposeStore {

  /** The sources one call takes. */
  val MaxSources = 32

  /** The components an object may be made of: a composite counts those of its sources. */
  val MaxComponents = 1024

  sealed trait Composition

  object Composition {

    /** The object is in place, at this generation, this long. */
    final case class Done(generation: Long, length: Long) extends Composition

    /** The destination's generation was not the one asked for: nothing changed. */
    case object ConditionFailed extends Composition

    /** A source object is not there (deleted since it was listed): nothing changed. */
    case object SourceMissing extends Composition
  }
}
