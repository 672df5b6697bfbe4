package sparkmerge.objectstore

import java.io.IOException
import java.util.concurrent.{Callable, ExecutionException, Executors, ThreadFactory}

import scala.util.{Failure, Success}

/**
 * Composes many components into at most [[ComposeStore.MaxSources]]: each level composes runs of up to that many
 * into new objects, in order, the calls of a level at once on a bounded pool, until one call can take them all.
 * The last call, which makes the target, is the publisher's.
 */
private[sparkmerge] object ComposeTree {

  /** A whole object of the bucket, `length` bytes, which the target's bytes at its place are. */
  final case class Component(name: String, length: Long)

  /**
   * The components reduced to at most [[ComposeStore.MaxSources]], with the calls made. `newName` names each new
   * object (and is told before the call, so that a failure leaves nothing unnamed to remove).
   */
  def reduce(
      store: ComposeStore,
      components: Vector[Component],
      threads: Int,
      newName: () => String
  ): (Vector[Component], Int) = {
    var level = components
    var calls = 0
    if (level.size > ComposeStore.MaxSources) {
      val pool = Executors.newFixedThreadPool(threads, daemons)
      try
        while (level.size > ComposeStore.MaxSources) {
          val runs = level.grouped(ComposeStore.MaxSources).toVector
          val made = runs.map { run =>
            if (run.size == 1) None
            else {
              val name = newName()
              Some(pool.submit(new Callable[Component] { def call(): Component = compose(store, run, name) }))
            }
          }
          // Every call of the level ends before a failure is raised: an object made after the merge removed its
          // hidden objects would be left behind.
          val ended = made.map(_.map { future =>
            try Success(future.get())
            catch { case e: ExecutionException => Failure(e.getCause) }
          })
          ended.flatten.collectFirst { case Failure(e) => throw e }
          level = runs.zip(ended).map {
            case (run, None)         => run.head
            case (_, Some(composed)) => composed.get
          }
          calls += made.count(_.isDefined)
        }
      finally pool.shutdownNow()
    }
    (level, calls)
  }

  private def compose(store: ComposeStore, run: Vector[Component], name: String): Component =
    store.compose(run.map(_.name), name, ifGeneration = 0L) match {
      case ComposeStore.Composition.Done(_, length) =>
        val expected = run.map(_.length).sum
        if (length != expected)
          throw new IOException(
            s"$name holds $length bytes, but its parts add up to $expected: a part changed while merging"
          )
        Component(name, length)
      case ComposeStore.Composition.SourceMissing =>
        throw new IOException(s"one of ${run.map(_.name).mkString(", ")} is gone: a part was deleted while merging")
      case ComposeStore.Composition.ConditionFailed =>
        throw new IOException(s"$name, a new hidden object, was there already")
    }

  private val daemons: ThreadFactory = (r: Runnable) => {
    val t = new Thread(r, "sparkmerge-compose")
    t.setDaemon(true)
    t
  }
}
