package sparkmerge.writer

import java.nio.file.{Files, Path => NioPath}

/**
 * The tasks of a running job that have committed, as Hadoop's FileOutputCommitter (algorithm 1, Spark's default)
 * lays them out: `<output>/_temporary/<application attempt>/task_<job>_m_<partition>/`, holding the task's
 * final files until the job's commit moves them by name into the output directory. Another committer leaves
 * nothing of this, and then no task is ever found.
 */
private[sparkmerge] final class CommittedTasks(outputDir: NioPath) {

  // The attempt directory and the job's name, known from the first committed task: from then on each question
  // is one lookup, not a listing of thousands of directories.
  private var job: Option[(NioPath, String)] = None

  /** The directory of `partition`'s committed task, once it has committed. */
  def of(partition: Int): Option[NioPath] = {
    if (job.isEmpty) job = firstCommitted()
    job
      .map { case (attemptDir, name) => attemptDir.resolve(f"task_${name}_m_$partition%06d") }
      .filter(Files.isDirectory(_))
  }

  private def firstCommitted(): Option[(NioPath, String)] =
    CommittedTasks
      .directories(outputDir.resolve("_temporary"))
      .iterator
      .flatMap(attemptDir => CommittedTasks.directories(attemptDir).map(attemptDir -> _.getFileName.toString))
      .collectFirst { case (attemptDir, CommittedTasks.TaskDir(name, _)) => attemptDir -> name }
}

private[sparkmerge] object CommittedTasks {
  private val TaskDir = "task_(.+)_m_(\\d+)".r

  private def directories(dir: NioPath): Seq[NioPath] =
    if (!Files.isDirectory(dir)) Seq.empty
    else {
      val stream = Files.newDirectoryStream(dir)
      try {
        val found = Seq.newBuilder[NioPath]
        stream.forEach(entry => if (Files.isDirectory(entry)) found += entry)
        found.result()
      } finally stream.close()
    }
}
