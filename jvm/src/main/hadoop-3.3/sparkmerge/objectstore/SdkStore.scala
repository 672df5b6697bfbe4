package sparkmerge.objectstore

import java.io.{ByteArrayInputStream, IOException}
import java.net.URI

import scala.annotation.tailrec

import com.amazonaws.SdkBaseException
import com.amazonaws.services.s3.AmazonS3
import com.amazonaws.services.s3.model.{AmazonS3Exception, CopyPartRequest, ListMultipartUploadsRequest, PartETag}
import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.hadoop.fs.s3a.{S3AFileSystem, S3AUtils}

/**
 * [[MultipartStore]] on Hadoop 3.3's S3A and the AWS SDK v1: S3A's own client, the requests from S3A's own
 * request factory, so that encryption, storage class and the like are as S3A would send them.
 */
private[sparkmerge] final class SdkStore private (fs: S3AFileSystem) extends MultipartStore {

  private val client = SdkStore.clientOf(fs)
  private val requests = fs.getRequestFactory

  val bucket: String = fs.getBucket

  def key(path: Path): String = fs.pathToKey(path)

  def holds(uri: URI): Boolean = uri.getScheme == "s3a" && uri.getAuthority == bucket

  def start(key: String): String = call("create multipart upload", key) {
    client.initiateMultipartUpload(requests.newMultipartUploadRequest(key)).getUploadId
  }

  def copyPart(key: String, upload: String, number: Int, source: String, first: Long, last: Long): String =
    call(s"copy bytes $first-$last of $source into part $number", key) {
      val request = new CopyPartRequest()
        .withSourceBucketName(bucket)
        .withSourceKey(source)
        .withDestinationBucketName(bucket)
        .withDestinationKey(key)
        .withUploadId(upload)
        .withPartNumber(number)
        .withFirstByte(first)
        .withLastByte(last)
      client.copyPart(request).getETag
    }

  def uploadPart(key: String, upload: String, number: Int, bytes: Array[Byte], length: Int): String =
    call(s"upload part $number", key) {
      val request =
        requests.newUploadPartRequest(key, upload, number, length, new ByteArrayInputStream(bytes, 0, length), null, 0L)
      client.uploadPart(request).getETag
    }

  def complete(
      key: String,
      upload: String,
      etags: Seq[String],
      condition: MultipartStore.Condition
  ): MultipartStore.Completion = {
    val parts = etags.zipWithIndex.map { case (etag, i) => new PartETag(i + 1, etag) }
    val request = requests.newCompleteMultipartUploadRequest(key, upload, java.util.Arrays.asList(parts: _*))
    val header = condition.header
    header.foreach { case (name, value) => request.putCustomRequestHeader(name, value) }
    val conditional = header.isDefined
    try {
      client.completeMultipartUpload(request)
      MultipartStore.Completion.Done
    } catch {
      case e: AmazonS3Exception if conditional && (e.getStatusCode == 412 || e.getStatusCode == 409) =>
        MultipartStore.Completion.Exists
      case e: AmazonS3Exception if conditional && e.getStatusCode == 501 => MultipartStore.Completion.ConditionRefused
      case e: SdkBaseException => throw S3AUtils.translateException("complete upload", s"s3a://$bucket/$key", e)
    }
  }

  def abort(key: String, upload: String): Unit = call("abort upload", key) {
    client.abortMultipartUpload(requests.newAbortMultipartUploadRequest(key, upload))
  }

  def uploads(key: String): Seq[(String, Long)] = call("list uploads", key) {
    @tailrec def pages(
        request: ListMultipartUploadsRequest,
        found: Vector[(String, Long)],
        left: Int
    ): Seq[(String, Long)] = {
      val page = client.listMultipartUploads(request)
      val here = found ++ page.getMultipartUploads
        .toArray(Array.empty[com.amazonaws.services.s3.model.MultipartUpload])
        .filter(_.getKey == key)
        .map(u => u.getUploadId -> u.getInitiated.getTime)
      if (!page.isTruncated || left == 0) here
      else
        pages(
          request.withKeyMarker(page.getNextKeyMarker).withUploadIdMarker(page.getNextUploadIdMarker),
          here,
          left - 1
        )
    }
    pages(requests.newListMultipartUploadsRequest(key), Vector.empty, SdkStore.MaxPages)
  }

  // The SDK's errors as S3A translates them: an IOException saying which call failed on which key.
  private def call[T](operation: String, key: String)(body: => T): T =
    try body
    catch {
      case e: SdkBaseException => throw (S3AUtils.translateException(operation, s"s3a://$bucket/$key", e): IOException)
    }
}

private[sparkmerge] object SdkStore {
  private val MaxPages = 100

  def apply(fs: FileSystem): MultipartStore = new SdkStore(fs.asInstanceOf[S3AFileSystem])

  // S3A's own accessor, which its public "for testing" twin wraps with a warning in every log: the same client.
  private def clientOf(fs: S3AFileSystem): AmazonS3 =
    try {
      val method = classOf[S3AFileSystem].getDeclaredMethod("getAmazonS3Client")
      method.setAccessible(true)
      method.invoke(fs).asInstanceOf[AmazonS3]
    } catch {
      case _: ReflectiveOperationException | _: RuntimeException => fs.getAmazonS3ClientForTesting("sparkmerge")
    }
}
