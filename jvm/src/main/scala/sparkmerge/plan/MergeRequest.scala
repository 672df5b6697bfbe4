package sparkmerge.plan

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.parts.Part

/**
 * What a merge is asked to join, before anything is listed: the one input of the pipeline, whoever calls it.
 *
 * @param fs         the file system the parts are read through (the raw one on local disk)
 * @param directory  the directory of the parts
 * @param leading    files that go first, whole: the DataFrame writer's rendered header
 * @param allowEmpty a directory without data files is a valid input, as for a DataFrame with no rows
 * @param headers    every part starts with the same header record: keep the first part's only
 * @param consumable the parts may disappear into the target (concat)
 * @param resumable  the start of the merged file, written while the parts were: used if the plan starts with it
 */
final case class MergeRequest(
    fs: FileSystem,
    directory: Path,
    leading: Vector[Part] = Vector.empty,
    allowEmpty: Boolean = false,
    headers: Boolean = false,
    consumable: Boolean = false,
    resumable: Option[Piece.Resumed] = None
)
