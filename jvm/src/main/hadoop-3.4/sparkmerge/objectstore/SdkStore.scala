package sparkmerge.objectstore

import java.io.{ByteArrayInputStream, IOException}
import java.net.URI

import scala.annotation.tailrec

import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.hadoop.fs.s3a.{S3AFileSystem, S3AUtils}
import org.apache.hadoop.fs.s3a.impl.PutObjectOptions
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration
import software.amazon.awssdk.core.exception.SdkException
import software.amazon.awssdk.core.sync.RequestBody
import software.amazon.awssdk.services.s3.model.{
  CompletedPart,
  ListMultipartUploadsRequest,
  S3Exception,
  UploadPartCopyRequest
}

/**
 * [[MultipartStore]] on Hadoop 3.4's S3A and the AWS SDK v2: the client from `getS3AInternals()`, the requests
 * from S3A's own request factory, so that encryption, storage class and the like are as S3A would send them.
 */
private[sparkmerge] final class SdkStore private (fs: S3AFileSystem) extends MultipartStore {

  private val client = fs.getS3AInternals.getAmazonS3Client("sparkmerge: multipart merge")
  private val requests = fs.getRequestFactory

  val bucket: String = fs.getBucket

  def key(path: Path): String = fs.pathToKey(path)

  def holds(uri: URI): Boolean = uri.getScheme == "s3a" && uri.getAuthority == bucket

  def start(key: String): String = call("create multipart upload", key) {
    client
      .createMultipartUpload(requests.newMultipartUploadRequestBuilder(key, PutObjectOptions.keepingDirs()).build())
      .uploadId()
  }

  def copyPart(key: String, upload: String, number: Int, source: String, first: Long, last: Long): String =
    call(s"copy bytes $first-$last of $source into part $number", key) {
      val request = UploadPartCopyRequest
        .builder()
        .sourceBucket(bucket)
        .sourceKey(source)
        .destinationBucket(bucket)
        .destinationKey(key)
        .uploadId(upload)
        .partNumber(number)
        .copySourceRange(s"bytes=$first-$last")
        .build()
      client.uploadPartCopy(request).copyPartResult().eTag()
    }

  def uploadPart(key: String, upload: String, number: Int, bytes: Array[Byte], length: Int): String =
    call(s"upload part $number", key) {
      val request = requests.newUploadPartRequestBuilder(key, upload, number, length.toLong).build()
      client.uploadPart(request, RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length)).eTag()
    }

  def complete(
      key: String,
      upload: String,
      etags: Seq[String],
      condition: MultipartStore.Condition
  ): MultipartStore.Completion = {
    val parts = etags.zipWithIndex.map { case (etag, i) =>
      CompletedPart.builder().partNumber(i + 1).eTag(etag).build()
    }
    val builder = requests.newCompleteMultipartUploadRequestBuilder(key, upload, java.util.Arrays.asList(parts: _*))
    val header = condition.header
    header.foreach { case (name, value) =>
      builder.overrideConfiguration(AwsRequestOverrideConfiguration.builder().putHeader(name, value).build())
    }
    val conditional = header.isDefined
    try {
      client.completeMultipartUpload(builder.build())
      MultipartStore.Completion.Done
    } catch {
      case e: S3Exception if conditional && (e.statusCode == 412 || e.statusCode == 409) =>
        MultipartStore.Completion.Exists
      case e: S3Exception if conditional && e.statusCode == 501 => MultipartStore.Completion.ConditionRefused
      case e: SdkException => throw S3AUtils.translateException("complete upload", s"s3a://$bucket/$key", e)
    }
  }

  def abort(key: String, upload: String): Unit = call("abort upload", key) {
    client.abortMultipartUpload(requests.newAbortMultipartUploadRequestBuilder(key, upload).build())
    ()
  }

  def uploads(key: String): Seq[(String, Long)] = call("list uploads", key) {
    @tailrec def pages(
        request: ListMultipartUploadsRequest,
        found: Vector[(String, Long)],
        left: Int
    ): Seq[(String, Long)] = {
      val page = client.listMultipartUploads(request)
      val here = found ++ page
        .uploads()
        .toArray(Array.empty[software.amazon.awssdk.services.s3.model.MultipartUpload])
        .filter(_.key == key)
        .map(u => u.uploadId -> u.initiated.toEpochMilli)
      if (!page.isTruncated || left == 0) here
      else
        pages(
          request.toBuilder.keyMarker(page.nextKeyMarker).uploadIdMarker(page.nextUploadIdMarker).build(),
          here,
          left - 1
        )
    }
    pages(requests.newListMultipartUploadsRequestBuilder(key).build(), Vector.empty, SdkStore.MaxPages)
  }

  // The SDK's errors as S3A translates them: an IOException saying which call failed on which key.
  private def call[T](operation: String, key: String)(body: => T): T =
    try body
    catch {
      case e: SdkException => throw (S3AUtils.translateException(operation, s"s3a://$bucket/$key", e): IOException)
    }
}

private[sparkmerge] object SdkStore {
  private val MaxPages = 100

  def apply(fs: FileSystem): MultipartStore = new SdkStore(fs.asInstanceOf[S3AFileSystem])
}
