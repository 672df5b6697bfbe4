package sparkmerge.objectstore

import org.apache.hadoop.fs.FileSystem

/** Azure's staged blocks need the blob client of hadoop-azure 3.4.2 and later: Spark 3.5's Hadoop 3.3 has none. */
private[sparkmerge] object BlockBlobStore {

  def of(fs: FileSystem, untested: Boolean): Either[String, MultipartStore] =
    Left("this jar stages Azure blocks with hadoop-azure 3.4's blob client; Spark 3.5 ships Hadoop 3.3")
}
