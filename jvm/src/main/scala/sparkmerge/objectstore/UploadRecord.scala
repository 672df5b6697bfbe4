package sparkmerge.objectstore

import java.io.IOException
import java.nio.charset.StandardCharsets.UTF_8

import scala.io.Source

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.publish.{HiddenFiles, Publisher, ShutdownCleanup}

/**
 * The id of a merge's upload, in a hidden object beside the target for as long as the upload is open. S3 lists an
 * upload with its key and start only, never who started it, so the upload of a merge killed outright (kill -9,
 * a lost container) would look like a live merge's for a day. Its record is named like every hidden file (the
 * merge's pid, host and start), so the next merge tells a dead merge's upload by the rule that removes hidden
 * files ([[sparkmerge.publish.Leftovers]]). A merge killed between starting its upload and writing the record
 * leaves an upload nobody claims: the age rule and the bucket's lifecycle rule are left for that one.
 */
private[sparkmerge] object UploadRecord {

  /** Writes the record of `upload`; should the JVM stop, it goes, after the upload is aborted. */
  def write(fs: FileSystem, target: Path, upload: String): Path = {
    val record = HiddenFiles.beside(target, HiddenFiles.Kind.Upload)
    // Before it exists: a merge to the same target in this JVM must never take it for a dead merge's.
    ShutdownCleanup.register(fs, record)
    try {
      val out = fs.create(record, true)
      try out.write(upload.getBytes(UTF_8))
      finally out.close()
      record
    } catch {
      case e: Throwable =>
        remove(fs, record)
        throw e
    }
  }

  def remove(fs: FileSystem, record: Path): Unit = {
    Publisher.discard(fs, record)
    ShutdownCleanup.release(fs, record)
  }

  /** The upload a record names; None if it cannot be read (the upload is then left to the age rule). */
  def read(fs: FileSystem, record: Path): Option[String] =
    try {
      val in = fs.open(record)
      try Some(Source.fromInputStream(in, UTF_8.name).mkString.trim).filter(_.nonEmpty)
      finally in.close()
    } catch { case _: IOException => None }
}
