package sparkmerge.parts

import org.apache.hadoop.fs.{FileSystem, LocalFileSystem}

/**
 * The file system to move data through. On local disk that is the raw file system under `file://`: the
 * checksummed layer computes a CRC of every byte in Java, and leaves a `.crc` file beside the target.
 * Renames and deletes stay on the caller's file system, so existing `.crc` files move and go with their files.
 */
private[sparkmerge] object DataFileSystem {
  def of(fs: FileSystem): FileSystem = fs match {
    case local: LocalFileSystem => local.getRawFileSystem
    case other                  => other
  }
}
