package sparkmerge.objectstore

import java.net.URLEncoder
import java.nio.charset.StandardCharsets.UTF_8
import java.time.{Duration, Instant}
import java.time.temporal.ChronoUnit
import java.util.Base64
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/**
 * Azure's service shared access signature for reading one blob, signed with the account key: what lets the store
 * read a source blob when it stages a block from it (Put Block From URL takes no Shared Key for its source).
 * Read-only, for one blob, for an hour: all a merge's call needs.
 */
private[sparkmerge] object ServiceSas {
  val Version = "2020-12-06"
  private val Valid = Duration.ofHours(1)

  /** The query string (no `?`) of a read SAS for `blob` (its path in the container, `/` first or not). */
  def read(account: String, container: String, blob: String, key: Array[Byte], now: Instant = Instant.now()): String = {
    val expiry = now.plus(Valid).truncatedTo(ChronoUnit.SECONDS).toString
    // The fields of the 2020-12-06 string to sign, in order; those a read of one blob leaves out are empty.
    val fields = Seq(
      "r", // permissions
      "", // start: now
      expiry,
      s"/blob/$account/$container/${blob.stripPrefix("/")}",
      "", // stored access policy
      "", // IP range
      "", // protocol: either
      Version,
      "b", // resource: a blob
      "", // snapshot time
      "", // encryption scope
      "", // Cache-Control
      "", // Content-Disposition
      "", // Content-Encoding
      "", // Content-Language
      "" // Content-Type
    )
    val mac = Mac.getInstance("HmacSHA256")
    mac.init(new SecretKeySpec(key, "HmacSHA256"))
    val signature = Base64.getEncoder.encodeToString(mac.doFinal(fields.mkString("\n").getBytes(UTF_8)))
    Seq("sv" -> Version, "sr" -> "b", "sp" -> "r", "se" -> expiry, "sig" -> signature)
      .map { case (name, value) => s"$name=${URLEncoder.encode(value, "UTF-8")}" }
      .mkString("&")
  }
}
