package sparkmerge.partitions

import java.util.concurrent.{Callable, Executors, ThreadFactory}
import java.util.concurrent.atomic.AtomicInteger

import scala.util.control.NonFatal

import org.apache.hadoop.conf.Configuration
import org.apache.spark.sql.SparkSession
import org.slf4j.LoggerFactory

import sparkmerge.writer.JobDescription
import sparkmerge.{FirstLine, MergeFailedException, MergeProgress, MergeResult, Settings, SparkMergeException}

/**
 * Runs a set of merges, one file each, on the engine we have: a few at a time on driver threads, or, for many
 * files, as a Spark job whose tasks each merge one file on the executors, the Hadoop configuration shipped with
 * them. No scheduler of our own: threads or Spark's.
 *
 * A merge that fails does not stop the others: each file that exists is whole, and once all have ended the
 * first failure is raised, as the engine's own exception.
 */
private[sparkmerge] object ManyMerges {
  private val log = LoggerFactory.getLogger(getClass)

  /**
   * How many files merge at once on the driver. The merges wait on the file system more than on the CPU, so more
   * threads than cores pay; the measured choice is in docs/benchmarks.md (bench-partitions).
   */
  val ThreadsConf: String = Settings.MergeThreads.key
  val DefaultThreads: Int = Settings.MergeThreads.default.toInt

  /**
   * From how many files on the merges run as a Spark job; 0 never. Unset, never with a local master, whose
   * executor is the driver's own threads (`make bench-partitions`: the job took longer than the threads there).
   */
  val ExecutorsFromConf: String = Settings.ExecutorMergesFrom.key
  val DefaultExecutorsFrom: Int = Settings.ExecutorMergesFrom.default.toInt

  def run(
      merges: Seq[FileMerge],
      conf: Configuration,
      progress: MergeProgress,
      spark: Option[SparkSession]
  ): Seq[MergeResult] = {
    val started = System.nanoTime()
    val threads = setting(spark, ThreadsConf, DefaultThreads, minimum = 1)
    val onCluster = spark.exists(!_.sparkContext.isLocal)
    val executorsFrom = setting(spark, ExecutorsFromConf, if (onCluster) DefaultExecutorsFrom else 0, minimum = 0)
    val outcomes = spark match {
      case Some(session) if executorsFrom > 0 && merges.size >= executorsFrom =>
        onExecutors(session, merges, conf, progress)
      case _ => onThreads(merges, conf, progress, threads)
    }
    val failures = outcomes.collect { case Left(e) => e }
    failures.headOption.foreach { first =>
      log.warn(
        s"sparkmerge: ${failures.size} of ${merges.size} merges failed; the ${merges.size - failures.size} files " +
          s"merged are in place, each whole; the first failure: ${FirstLine.of(first)}"
      )
      throw first
    }
    val results = outcomes.collect { case Right(result) => result }
    val seconds = (System.nanoTime() - started) / 1e9
    val bytes = results.map(_.bytes).sum
    if (results.nonEmpty)
      log.info(
        f"sparkmerge: merged ${results.map(_.files).sum} files, $bytes bytes, into ${results.size} files " +
          f"(${results.map(_.strategy).distinct.sorted.mkString(", ")}) in $seconds%.2f s " +
          f"(${bytes / 1048576.0 / math.max(seconds, 1e-3)}%.0f MiB/s)"
      )
    results
  }

  /** The session of this thread, if Spark is there at all: the command line runs without it. */
  def activeSpark(): Option[SparkSession] =
    try SparkSession.getActiveSession.orElse(SparkSession.getDefaultSession)
    catch { case _: NoClassDefFoundError => None }

  private def onThreads(
      merges: Seq[FileMerge],
      conf: Configuration,
      progress: MergeProgress,
      threads: Int
  ): Seq[Either[Throwable, MergeResult]] =
    if (threads == 1 || merges.size <= 1) merges.map(m => attempt(m, m.run(conf, progress.child())))
    else {
      val pool = Executors.newFixedThreadPool(math.min(threads, merges.size), MergeThreads)
      try
        merges
          .map(m =>
            pool.submit(new Callable[Either[Throwable, MergeResult]] {
              def call() = attempt(m, m.run(conf, progress.child()))
            })
          )
          .map(_.get())
      finally { pool.shutdownNow(); () }
    }

  /** One task per file; each task's result comes back as it finishes, for the set's progress. */
  private def onExecutors(
      spark: SparkSession,
      merges: Seq[FileMerge],
      conf: Configuration,
      progress: MergeProgress
  ): Seq[Either[Throwable, MergeResult]] = {
    val sc = spark.sparkContext
    val shipped = new ShippedConfiguration(conf)
    val outcomes = new Array[Either[Throwable, MergeResult]](merges.size)
    JobDescription.around(sc, s"${merges.size} files") {
      sc.runJob(
        sc.parallelize(merges.zipWithIndex, merges.size),
        (tasks: Iterator[(FileMerge, Int)]) =>
          tasks.map { case (m, at) =>
            at -> shippable(m, attempt(m, m.run(shipped.value, new MergeProgress())))
          }.toVector,
        (_: Int, done: Vector[(Int, Either[Throwable, MergeResult])]) =>
          done.foreach { case (at, outcome) =>
            outcomes(at) = outcome
            outcome.foreach { result => progress.advance(result.bytes); progress.fileDone(result.files) }
          }
      )
    }
    outcomes.toSeq
  }

  private def attempt(merge: FileMerge, body: => MergeResult): Either[Throwable, MergeResult] =
    try Right(body)
    catch { case NonFatal(e) => log.debug(s"sparkmerge: merging into ${merge.target} failed", e); Left(e) }

  /** A failure that can travel back to the driver: the engine's own exceptions do; others become one. */
  private def shippable(merge: FileMerge, outcome: Either[Throwable, MergeResult]): Either[Throwable, MergeResult] =
    outcome.left.map {
      case own: SparkMergeException => own
      case other                    =>
        new MergeFailedException(s"merging into ${merge.target} failed on an executor: ${FirstLine.of(other)}")
    }

  private def setting(spark: Option[SparkSession], key: String, default: Int, minimum: Int): Int = {
    val value = spark.flatMap(_.conf.getOption(key)).getOrElse(default.toString)
    scala.util.Try(value.trim.toInt).toOption.filter(_ >= minimum).getOrElse {
      throw new sparkmerge.InvalidOptionException(s"$key must be a whole number of at least $minimum, not '$value'")
    }
  }

  private object MergeThreads extends ThreadFactory {
    private val count = new AtomicInteger
    def newThread(body: Runnable): Thread = {
      val thread = new Thread(body, s"sparkmerge-merge-${count.incrementAndGet()}")
      thread.setDaemon(true)
      thread
    }
  }
}
