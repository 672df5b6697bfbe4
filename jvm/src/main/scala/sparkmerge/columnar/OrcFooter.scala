package sparkmerge.columnar

import java.io.IOException
import java.nio.ByteBuffer

import org.apache.hadoop.fs.FileSystem
import org.apache.orc.{CompressionKind, OrcProto}
import org.apache.orc.impl.{BufferChunk, InStream, OrcCodecPool, ReaderImpl}
import org.apache.orc.protobuf.CodedInputStream

import sparkmerge.UnsupportedFormatException
import sparkmerge.parts.{Part, PartFiles}

/**
 * One ORC part's tail, as the format lays it out: "ORC", the stripes, the file metadata (each stripe's column
 * statistics), the footer (the stripes' places, the schema, the file's statistics), both compressed with the
 * file's codec, then the postscript (uncompressed: the codec, the lengths before it) and its length in the last
 * byte. Only the tail is read, never a stripe.
 *
 * @param stripeStatistics each stripe's, in the footer's order; empty where the part's writer kept none
 */
private[sparkmerge] final case class OrcFooter(
    part: Part,
    postScript: OrcProto.PostScript,
    footer: OrcProto.Footer,
    stripeStatistics: Vector[OrcProto.StripeStatistics]
) {
  def stripes: Vector[OrcProto.StripeInformation] = JavaLists.seq(footer.getStripesList)

  /** The size of the block the codec compresses at a time, which every reader of the file decompresses into. */
  def compressionBlockSize: Int = ReaderImpl.getCompressionBlockSize(postScript)
}

private[sparkmerge] object OrcFooter {
  private val Magic = "ORC"
  // What ORC's own reader fetches first: the tail of a file of a few columns fits in it.
  private val FirstRead = 16 << 10

  def read(fs: FileSystem, part: Part): OrcFooter = {
    if (part.length < Magic.length + 2) notOrc(part, s"it has ${part.length} bytes")
    val first = read(fs, part, math.min(part.length, FirstRead.toLong))
    val psLength = first.last & 0xff
    if (psLength < Magic.length || psLength + 1 > first.length) notOrc(part, s"its postscript would be $psLength bytes")
    val postScript = parse(part, "postscript")(
      OrcProto.PostScript.parseFrom(CodedInputStream.newInstance(first, first.length - 1 - psLength, psLength))
    )
    if (postScript.getMagic != Magic) notOrc(part, s"its postscript ends with '${postScript.getMagic}', not '$Magic'")
    val lengths = Seq(postScript.getFooterLength, postScript.getMetadataLength, postScript.getStripeStatisticsLength)
    if (lengths.exists(l => l < 0 || l > part.length))
      notOrc(part, s"its postscript gives lengths of more than the file holds (${lengths.mkString(", ")})")
    val tailLength = 1L + psLength + lengths.sum
    if (tailLength > part.length - Magic.length)
      notOrc(part, s"its footer would be ${postScript.getFooterLength} bytes long, more than the file holds")
    val tail = if (tailLength <= first.length) first else read(fs, part, tailLength)
    val footerEnd = tail.length - 1 - psLength
    val footerStart = footerEnd - postScript.getFooterLength.toInt
    val footer = parse(part, "footer")(
      decoded(tail, footerStart, postScript.getFooterLength.toInt, postScript)(OrcProto.Footer.parseFrom)
    )
    if (footer.hasEncryption || postScript.getStripeStatisticsLength > 0)
      throw new UnsupportedFormatException(
        s"${part.path} is an ORC file with encrypted columns: its footer cannot be joined without the keys; keep " +
          "the directory"
      )
    val metadataStart = footerStart - postScript.getMetadataLength.toInt
    val stripeStatistics = parse(part, "metadata")(
      decoded(tail, metadataStart, postScript.getMetadataLength.toInt, postScript)(OrcProto.Metadata.parseFrom)
    ).getStripeStatsList
    val footerOf = OrcFooter(part, postScript, footer, JavaLists.seq(stripeStatistics))
    checkStripes(footerOf, part.length - tailLength)
    footerOf
  }

  /** Stripes lie between the header and the tail, and each has its statistics, if the part has any. */
  private def checkStripes(footer: OrcFooter, tailStart: Long): Unit = {
    footer.stripes.find(s => s.getOffset < Magic.length || end(s) > tailStart).foreach { stripe =>
      notOrc(footer.part, s"a stripe at ${stripe.getOffset} ends at ${end(stripe)}, past its data ($tailStart)")
    }
    val statistics = footer.stripeStatistics.size
    if (statistics != 0 && statistics != footer.stripes.size)
      notOrc(footer.part, s"it has ${footer.stripes.size} stripes and the statistics of $statistics")
  }

  private def end(stripe: OrcProto.StripeInformation): Long =
    stripe.getOffset + stripe.getIndexLength + stripe.getDataLength + stripe.getFooterLength

  /** A message the file's codec compressed, parsed as ORC's own reader parses it, with a codec of ORC's pool. */
  private def decoded[T](tail: Array[Byte], at: Int, length: Int, postScript: OrcProto.PostScript)(
      parse: CodedInputStream => T
  ): T = {
    val kind = CompressionKind.valueOf(postScript.getCompression.name)
    val codec = OrcCodecPool.getCodec(kind)
    try {
      val options = InStream.options()
      if (codec != null) options.withCodec(codec).withBufferSize(ReaderImpl.getCompressionBlockSize(postScript))
      val chunk = new BufferChunk(ByteBuffer.wrap(tail), 0)
      parse(InStream.createCodedInputStream(InStream.create("tail", chunk, at.toLong, length.toLong, options)))
    } finally if (codec != null) OrcCodecPool.returnCodec(kind, codec)
  }

  private def read(fs: FileSystem, part: Part, bytes: Long): Array[Byte] = {
    if (bytes > Int.MaxValue - 16) notOrc(part, s"a tail of $bytes bytes is more than one read takes")
    PartFiles.readAt(fs, part.path, part.length, part.length - bytes, bytes.toInt)
  }

  // A codec's own failures on damaged bytes are unchecked ones (aircompressor's, zstd-jni's).
  private def parse[T](part: Part, what: String)(body: => T): T =
    try body
    catch {
      case e @ (_: IOException | _: RuntimeException) => notOrc(part, s"its $what cannot be read (${e.getMessage})")
    }

  private def notOrc(part: Part, why: String): Nothing =
    throw new UnsupportedFormatException(
      s"${part.path} is not a whole ORC file ($why): it may be damaged or still being written; merge the parts " +
        "Spark finished writing"
    )
}
