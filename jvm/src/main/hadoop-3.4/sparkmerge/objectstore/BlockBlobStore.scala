package sparkmerge.objectstore

import java.io.{FileNotFoundException, IOException}
import java.net.{URI, URL}
import java.nio.charset.StandardCharsets.UTF_8
import java.util.{Base64, UUID}

import scala.jdk.CollectionConverters._

import org.apache.hadoop.fs.{EtagSource, FileSystem, Path}
import org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem
import org.apache.hadoop.fs.azurebfs.constants.FSOperationType
import org.apache.hadoop.fs.azurebfs.contracts.exceptions.AbfsRestOperationException
import org.apache.hadoop.fs.azurebfs.services.{
  AbfsBlobClient,
  AbfsClient,
  AbfsHttpHeader,
  AbfsRestOperation,
  AbfsRestOperationType,
  AuthType
}
import org.apache.hadoop.fs.azurebfs.utils.{TracingContext, TracingHeaderFormat}

/**
 * [[MultipartStore]] on Azure Blob Storage, through hadoop-azure's own blob client, so that the endpoint, the
 * signing, the retries and the timeouts are the connector's: a part is a block the store stages from a byte
 * range of a source blob (Put Block From URL) or from bytes sent here (Put Block), and completing is committing
 * the block list (Put Block List), conditional on the target. Staged blocks belong to the target's name, not to
 * an upload: an upload here is a prefix of block ids, unique to one merge, and nothing needs aborting (blocks never
 * committed expire after a week, and any commit to the name drops them).
 */
private[sparkmerge] final class BlockBlobStore private (
    fs: AzureBlobFileSystem,
    client: AbfsBlobClient,
    sourceAuthorization: BlockBlobStore.SourceAuthorization
) extends MultipartStore {
  import BlockBlobStore._

  val bucket: String = fs.getUri.getAuthority

  override def place: String = s"container $bucket"

  def holds(uri: URI): Boolean =
    Option(uri.getScheme).exists(s => s == "abfs" || s == "abfss") &&
      Option(uri.getAuthority).exists(_.equalsIgnoreCase(bucket))

  override def guardsOverwrite: Boolean = true

  override def etag(key: String): Option[String] =
    try
      fs.getFileStatus(new Path(fs.getUri.resolve(key))) match {
        case versioned: EtagSource => Option(versioned.getEtag).filter(_.nonEmpty)
        case _                     => None
      }
    catch { case _: FileNotFoundException => None }

  def key(path: Path): String = path.toUri.getPath

  def start(key: String): String = UUID.randomUUID().toString.replace("-", "")

  def copyPart(key: String, upload: String, number: Int, source: String, first: Long, last: Long): String =
    call(s"stage bytes $first-$last of $source as block $number", key) {
      val id = blockId(upload, number)
      val headers = sourceAuthorization.headers(source) ++ Seq(
        "x-ms-copy-source" -> sourceAuthorization.url(source),
        "x-ms-source-range" -> s"bytes=$first-$last"
      )
      execute(AbfsRestOperationType.PutBlock, "PUT", key, blockQuery(id), headers, None)
      id
    }

  def uploadPart(key: String, upload: String, number: Int, bytes: Array[Byte], length: Int): String =
    call(s"stage block $number", key) {
      val id = blockId(upload, number)
      execute(AbfsRestOperationType.PutBlock, "PUT", key, blockQuery(id), Nil, Some((bytes, length)))
      id
    }

  def complete(
      key: String,
      upload: String,
      etags: Seq[String],
      condition: MultipartStore.Condition
  ): MultipartStore.Completion = {
    val list = etags
      .map(id => s"<Latest>$id</Latest>")
      .mkString(
        """<?xml version="1.0" encoding="utf-8"?><BlockList>""",
        "",
        "</BlockList>"
      )
    val bytes = list.getBytes(UTF_8)
    val headers = Seq("Content-Type" -> "application/xml") ++ condition.header
    try {
      execute(AbfsRestOperationType.PutBlockList, "PUT", key, "?comp=blocklist", headers, Some((bytes, bytes.length)))
      MultipartStore.Completion.Done
    } catch {
      // Azure says 409 (BlobAlreadyExists) or 412 (ConditionNotMet). A retried commit whose first try succeeded
      // unseen meets its own blob: the block list is this merge's, and the object is in place.
      case e: AbfsRestOperationException if e.getStatusCode == 409 || e.getStatusCode == 412 =>
        if (committed(key) == etags) MultipartStore.Completion.Done else MultipartStore.Completion.Exists
      case e: IOException => throw new IOException(s"commit the block list of $bucket$key: ${e.getMessage}", e)
    }
  }

  // Blocks never committed cost nothing and expire; there is no call to drop them.
  def abort(key: String, upload: String): Unit = ()

  def uploads(key: String): Seq[(String, Long)] = Nil

  private def committed(key: String): Seq[String] =
    try client.getBlockList(key, tracing()).getResult.getBlockIdList.asScala.toSeq
    catch { case _: IOException => Nil }

  private def execute(
      kind: AbfsRestOperationType,
      method: String,
      key: String,
      query: String,
      headers: Seq[(String, String)],
      body: Option[(Array[Byte], Int)]
  ): AbfsRestOperation = {
    val all = client.createDefaultHeaders()
    headers.foreach { case (name, value) => all.add(new AbfsHttpHeader(name, value)) }
    val url = requestUrl(client, key, query)
    val operation = body match {
      case None                  => client.getAbfsRestOperation(kind, method, url, all)
      case Some((bytes, length)) =>
        all.add(new AbfsHttpHeader("Content-Length", length.toString))
        WithBody
          .invoke(client, kind, method, url, all, bytes, Int.box(0), Int.box(length), null)
          .asInstanceOf[AbfsRestOperation]
    }
    operation.execute(tracing())
    operation
  }

  private def tracing(): TracingContext =
    new TracingContext(Correlation, fs.getUri.toString, FSOperationType.WRITE, TracingHeaderFormat.ALL_ID_FORMAT, null)

  private def call[T](operation: String, key: String)(body: => T): T =
    try body
    catch {
      case e: AbfsRestOperationException if e.getStatusCode == 404 =>
        throw new FileNotFoundException(s"$operation for $bucket$key: a source is gone (${e.getErrorMessage})")
      case e: IOException => throw new IOException(s"$operation for $bucket$key: ${e.getMessage}", e)
    }
}

private[sparkmerge] object BlockBlobStore {
  private val Correlation = "sparkmerge"

  private val WithBody = {
    val method = classOf[AbfsClient].getDeclaredMethod(
      "getAbfsRestOperation",
      classOf[AbfsRestOperationType],
      classOf[String],
      classOf[URL],
      classOf[java.util.List[_]],
      classOf[Array[Byte]],
      Integer.TYPE,
      Integer.TYPE,
      classOf[String]
    )
    method.setAccessible(true)
    method
  }

  private val RequestUrl = {
    val method = classOf[AbfsClient].getDeclaredMethod("createRequestUrl", classOf[String], classOf[String])
    method.setAccessible(true)
    method
  }

  private def requestUrl(client: AbfsClient, key: String, query: String): URL =
    RequestUrl.invoke(client, key, query).asInstanceOf[URL]

  // Every id of one blob has the same length, as Azure requires: 48 bytes, a merge's prefix and a number.
  private def blockId(upload: String, number: Int): String =
    Base64.getEncoder.encodeToString(f"sm$upload%s-$number%013d".getBytes(UTF_8))

  private def blockQuery(id: String): String =
    s"?comp=block&blockid=${java.net.URLEncoder.encode(id, "UTF-8")}"

  /** How the store may read a source blob: a URL, and the headers that authorise reading it. */
  private trait SourceAuthorization {
    def url(key: String): String
    def headers(key: String): Seq[(String, String)]
  }

  /**
   * The store, or why there is none. `untested` allows what the tests here cannot reach: OAuth (a bearer token
   * for the source) and accounts with a hierarchical namespace.
   */
  def of(fs: FileSystem, untested: Boolean): Either[String, MultipartStore] = {
    val abfs = fs.asInstanceOf[AzureBlobFileSystem]
    val store = abfs.getAbfsStore
    val client = store.getClientHandler.getBlobClient
    val config = store.getAbfsConfiguration
    lazy val namespace = store.getIsNamespaceEnabled(
      new TracingContext(
        Correlation,
        fs.getUri.toString,
        FSOperationType.ACCESS,
        TracingHeaderFormat.ALL_ID_FORMAT,
        null
      )
    )
    val turnOn = s"${AzureStores.ServerSideKey}=true turns it on, untested here"
    if (client == null) Left("this ABFS connector has no blob client")
    else if (client.getEncryptionType.toString != "NONE")
      Left("the account encrypts with customer-provided keys, which staging a block from a blob would need again")
    else if (namespace && !untested)
      Left(s"the account has a hierarchical namespace, where staging blocks is not tested; $turnOn")
    else
      client.getAuthType match {
        case AuthType.SharedKey =>
          val account = config.getAccountName.takeWhile(_ != '.')
          Right(
            new BlockBlobStore(
              abfs,
              client,
              new SharedKeySas(client, account, container(fs), config.getStorageAccountKey)
            )
          )
        case AuthType.OAuth | AuthType.Custom if untested =>
          Right(new BlockBlobStore(abfs, client, new BearerToken(client)))
        case AuthType.OAuth | AuthType.Custom =>
          Left(s"the account signs in with OAuth, whose token for a source is not tested here; $turnOn")
        case other => Left(s"the account signs in with $other, which gives no token to read a source with")
      }
  }

  private def container(fs: FileSystem): String = fs.getUri.getUserInfo

  /** A read-only service SAS for each source, minted from the account key the connector holds. */
  private final class SharedKeySas(client: AbfsClient, account: String, container: String, key: String)
      extends SourceAuthorization {
    private val secret = Base64.getDecoder.decode(key)

    def url(blob: String): String =
      requestUrl(client, blob, "?" + ServiceSas.read(account, container, blob, secret)).toString
    def headers(blob: String): Seq[(String, String)] = Nil
  }

  /** The connector's own OAuth token, as the source's authorization (`x-ms-copy-source-authorization`). */
  private final class BearerToken(client: AbfsClient) extends SourceAuthorization {
    def url(blob: String): String = requestUrl(client, blob, "").toString
    def headers(blob: String): Seq[(String, String)] = Seq("x-ms-copy-source-authorization" -> client.getAccessToken)
  }
}
