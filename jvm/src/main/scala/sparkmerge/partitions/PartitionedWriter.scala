package sparkmerge.partitions

import java.util.Locale

import org.apache.hadoop.fs.Path
import org.apache.spark.sql.{Column, DataFrame, SaveMode}
import org.apache.spark.sql.functions.{col, monotonically_increasing_id}

import sparkmerge.{InvalidOptionException, MergeOptions, MergeProgress, MergeResult, PathArgument, Targets, WriteCall}
import sparkmerge.publish.{Destination, ShutdownCleanup}
import sparkmerge.writer.{EmptyXml, SparkParts}

/**
 * Many whole files out of one DataFrame: one per partition value (`exports/{country}/recs.csv`), numbered files
 * of at most N records (`recs-{n}.csv`, option `maxRecordsPerFile`), or both.
 *
 * [[sparkmerge.SparkMerge.write]] of a template. Spark writes the rows once with `partitionBy`, in parallel, into
 * a hidden directory; each partition directory then merges into its file as `write_single` would make it (rows in
 * order, the header once, atomic publish),
 * a few at a time or as a Spark job ([[ManyMerges]]). The partition columns leave the rows, as with Spark's
 * `partitionBy`, and the values go into the paths as Spark writes them in its directory names.
 *
 * Modes: `errorifexists` refuses, once Spark has written and before any file is published, if any target
 * exists; `overwrite` replaces the files it writes and leaves others alone; `ignore` skips the values whose file
 * exists. A failure half way leaves each file that exists whole.
 */
private[sparkmerge] object PartitionedWriter {

  /** The write of `call` into the files of the template `many`, in the order of the values. */
  def write(df: DataFrame, call: WriteCall, many: Targets.Template, progress: MergeProgress): Seq[MergeResult] = {
    val (spec, paths, template, maxRecords) = (call.spec, many.template, many.text, call.maxRecordsPerFile)
    val columns = partitionColumns(df, call.partitionBy, template)
    // Columns that differ in case alone are checked here, once the session's case rule has resolved them.
    if (!call.templateChecked) FileNumbers.checkTemplate(paths, call.partitionBy, maxRecords)
    val conf = df.sparkSession.sparkContext.hadoopConfiguration
    val anchor = Destination.of(PathArgument.parse(paths.anchor, "path"), conf)
    // The folders this write makes go again if it fails or publishes nothing.
    NewFolders.around(anchor.fs, anchor.target.getParent) { folders =>
      anchor.cleanLeftovers()
      val work = anchor.newWorkDirectory()
      ShutdownCleanup.around(anchor.fs, work) {
        try {
          val dataDir = new Path(work, "data")
          val unchecksummed = SparkParts.unchecksummed(anchor)
          val header = SparkParts.leading(df.drop(columns.map(_._1): _*), spec, anchor.fs, work, unchecksummed)
          val numberColumn = InternalColumns.fresh(df.columns.toSeq, FileNumbers.Column)
          val keys = columns.map(_._1) ++ maxRecords.map(_ => numberColumn)
          val rows = maxRecords.fold(df)(FileNumbers.number(df, columns.map(_._1), _, numberColumn))
          inOrder(rows, keys).write
            .format(spec.format)
            .options(spec.dataOptions ++ unchecksummed)
            .option("header", "false")
            .partitionBy(keys: _*)
            .save(dataDir.toString)

          val names = (columns :+ (numberColumn -> FileNumbers.Placeholder)).toMap
          val leaves = PartitionDirectories.list(anchor.fs, anchor.fs.makeQualified(dataDir), allowEmpty = true)
          WrittenData.check(anchor.fs, anchor.fs.makeQualified(dataDir), leaves, template)
          val options = MergeOptions(overwrite = spec.overwrite)
          val headerPath = header
            .orElse(if (leaves.isEmpty) EmptyXml.ifNoRows(anchor.fs, spec, dataDir, work) else None)
            .map(_.path.toString)
          val merges =
            if (leaves.isEmpty && columns.isEmpty) // no rows: one file, with the header alone
              Vector(
                WrittenPartitionMerge(
                  dataDir.toString,
                  headerPath,
                  paths.fill(Map(FileNumbers.Placeholder -> FileNumbers.name("1"))),
                  options
                )
              )
            else {
              val targets = paths.fillAll(
                leaves.map(
                  _.values
                    .map { case (column, value) =>
                      names(column) -> (if (column == numberColumn) FileNumbers.name(value) else value)
                    }
                    .toMap
                )
              )
              leaves.zip(targets).map { case (leaf, target) =>
                WrittenPartitionMerge(leaf.dir.toString, headerPath, target, options)
              }
            }
          folders.beforeFiles(merges.map(m => anchor.fs.makeQualified(PathArgument.parse(m.target, "path"))))
          progress.start(template, leaves.map(_.files).sum, leaves.map(_.bytes).sum)
          val results = ExistingTargets.merge(merges, existing(spec.mode), conf, anchor, template) {
            ManyMerges.run(_, conf, progress, Some(df.sparkSession))
          }
          progress.finish()
          results
        } finally SparkParts.remove(anchor, work)
      }
    }
  }

  /**
   * The partition columns, as the DataFrame spells them (what Spark names its directories by) and as the caller
   * did (what the template names). Spark's resolution: case-insensitive unless the session says otherwise.
   */
  private def partitionColumns(df: DataFrame, partitionBy: Seq[String], template: String): Seq[(String, String)] = {
    val caseSensitive = df.sparkSession.conf.get("spark.sql.caseSensitive", "false").toBoolean
    val fields = df.schema.fieldNames
    val resolved = partitionBy.map { given =>
      val found =
        fields.find(f =>
          if (caseSensitive) f == given else f.toLowerCase(Locale.ROOT) == given.toLowerCase(Locale.ROOT)
        )
      found.getOrElse {
        throw new InvalidOptionException(
          s"partition column '$given' is not a column of the DataFrame written to $template: its columns are " +
            fields.mkString(", ")
        )
      } -> given
    }
    // Spark's resolution decides which names are one column.
    resolved.groupBy(_._1).collectFirst { case (_, twice) if twice.size > 1 => twice.map(_._2) }.foreach { given =>
      throw new InvalidOptionException(
        s"partition columns ${given.mkString("'", "' and '", "'")} are one column for $template: give each column once"
      )
    }
    if (resolved.nonEmpty && resolved.size == fields.length)
      throw new InvalidOptionException(
        s"every column of the DataFrame is a partition column, which leaves the files of $template no data: " +
          "partition by fewer columns"
      )
    resolved
  }

  /** Each partition value's rows in the order they have, through Spark's sort by the partition columns. */
  private def inOrder(df: DataFrame, keys: Seq[String]): DataFrame = {
    val row = InternalColumns.fresh(df.columns.toSeq, "__sparkmerge_row")
    df.withColumn(row, monotonically_increasing_id())
      .sortWithinPartitions((keys :+ row).map(quoted): _*)
      .drop(quoted(row))
  }

  private def quoted(name: String): Column = col(s"`${name.replace("`", "``")}`")

  private def existing(mode: SaveMode): ExistingTargets = mode match {
    case SaveMode.Overwrite => ExistingTargets.Replace
    case SaveMode.Ignore    => ExistingTargets.Skip
    case _                  => ExistingTargets.Refuse
  }
}
