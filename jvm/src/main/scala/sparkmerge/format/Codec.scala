package sparkmerge.format

import java.io.{InputStream, OutputStream}
import java.util.Locale
import java.util.zip.{GZIPInputStream, GZIPOutputStream}

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.io.compress.BZip2Codec
import org.apache.hadoop.util.ReflectionUtils

import sparkmerge.{InvalidOptionException, UnsupportedFormatException}
import sparkmerge.parts.Part

/**
 * The compression of the parts, told by their extension. Only codecs whose streams may be joined end to end
 * (a gzip member after a gzip member is one valid gzip file) can be merged without decoding; the header of a
 * compressed part can only be dropped by decoding it and encoding the rest again.
 */
private[sparkmerge] sealed abstract class Codec(val name: String) {

  /** The file extension its parts have: ".gz"; none for uncompressed. */
  def extension: String = Codec.Table.find(_.joins.contains(this)).fold("")(_.extensions.head)

  /** For messages: "uncompressed", "gzip-compressed". */
  def describe: String = if (this == Codec.Plain) "uncompressed" else s"$name-compressed"

  /** The part's lines, decoded; closing the decoder closes `in`. */
  def decode(in: InputStream): InputStream

  /** An encoder on `out`; closing it finishes the stream but leaves `out` open. */
  def encode(out: OutputStream): OutputStream
}

private[sparkmerge] object Codec {

  case object Plain extends Codec("none") {
    def decode(in: InputStream): InputStream = in
    def encode(out: OutputStream): OutputStream = new KeepOpen(out)
  }

  case object Gzip extends Codec("gzip") {
    def decode(in: InputStream): InputStream = new GZIPInputStream(in, 64 << 10)
    def encode(out: OutputStream): OutputStream = new GZIPOutputStream(new KeepOpen(out), 64 << 10)
  }

  case object Bzip2 extends Codec("bzip2") {
    // Hadoop's own codec, pure Java when no native library is loaded, as Spark wrote the parts with it.
    private def codec = ReflectionUtils.newInstance(classOf[BZip2Codec], new Configuration(false))
    def decode(in: InputStream): InputStream = codec.createInputStream(in)
    def encode(out: OutputStream): OutputStream = codec.createOutputStream(new KeepOpen(out))
  }

  case object Zstd extends Codec("zstd") {
    // zstd-jni ships with Spark; Hadoop's ZStandardCodec would need Hadoop's native library.
    def decode(in: InputStream): InputStream = new com.github.luben.zstd.ZstdInputStream(in)
    def encode(out: OutputStream): OutputStream = new com.github.luben.zstd.ZstdOutputStream(new KeepOpen(out))
  }

  /**
   * Every codec a text part may have been written with, the one list the refusals are made from: its file
   * extensions, its name in Spark's `compression` option (Spark's CompressionCodecs), its Hadoop classes, and
   * where its streams join end to end, the codec here that reads them.
   */
  private final case class Known(
      name: String,
      extensions: Seq[String],
      sparkName: Option[String],
      hadoopClasses: Seq[String],
      joins: Option[Codec]
  )

  private val Table: Seq[Known] = Seq(
    Known("gzip", Seq(".gz"), Some("gzip"), Seq("GzipCodec"), Some(Gzip)),
    Known("bzip2", Seq(".bz2"), Some("bzip2"), Seq("BZip2Codec"), Some(Bzip2)),
    Known("zstd", Seq(".zst"), None, Seq("ZStandardCodec"), Some(Zstd)),
    Known("deflate", Seq(".deflate"), Some("deflate"), Seq("DeflateCodec", "DefaultCodec"), None),
    Known("snappy", Seq(".snappy"), Some("snappy"), Seq("SnappyCodec"), None),
    Known("lz4", Seq(".lz4"), Some("lz4"), Seq("Lz4Codec"), None),
    Known("lzo", Seq(".lzo", ".lzo_deflate"), None, Seq("LzoCodec", "LzopCodec"), None),
    Known("brotli", Seq(".br"), None, Seq("BrotliCodec"), None),
    Known("xz", Seq(".xz"), None, Seq("XZCodec"), None)
  )

  val Joinable: Seq[Codec] = Table.flatMap(_.joins)

  /** The joinable codecs this JVM can have Spark write: zstd only through Hadoop's native library. */
  private def writable: Seq[Known] =
    Table.filter(k => k.joins.isDefined && (k.joins.get != Zstd || zstdNative))

  private def zstdNative: Boolean = org.apache.hadoop.io.compress.ZStandardCodec.isNativeCodeLoaded

  /** For messages: "gzip, bzip2 or zstd". */
  private def names(codecs: Seq[String]): String =
    if (codecs.size < 2) codecs.mkString else codecs.init.mkString(", ") + " or " + codecs.last

  /**
   * Refuses a Spark `compression` (or `codec`) writer option whose streams do not join, or that Spark would
   * refuse itself, before any job runs. Spark takes a short name (its own list) or a Hadoop codec class.
   */
  def checkWriterOption(option: String, target: String): Unit = {
    val use = s"use ${names(writable.map(_.name))}, or no compression"
    writerCodec(option, target, use).foreach { codec =>
      if (codec.joins.isEmpty)
        throw new UnsupportedFormatException(
          s"cannot write $target with compression $option: its streams cannot be joined end to end; $use"
        )
      // Spark writes with Hadoop's codec, which has no Java implementation of zstd (Spark's own zstd-jni reads it).
      if (codec.joins.contains(Zstd) && !zstdNative)
        throw new UnsupportedFormatException(
          s"cannot write $target with compression $option: Hadoop writes zstd only through its native library, " +
            s"which this JVM has not loaded; $use"
        )
    }
  }

  /** The codec Spark writes text parts with, by the `compression` (or `codec`) writer option, checked. */
  def ofWriterOptions(options: Map[String, String], target: String): Codec =
    options
      .collectFirst { case (k, v) if Set("compression", "codec").contains(k.toLowerCase(Locale.ROOT)) => v }
      .fold[Codec](Plain) { option =>
        checkWriterOption(option, target)
        writerCodec(option, target, "").flatMap(_.joins).getOrElse(Plain)
      }

  private def writerCodec(option: String, target: String, use: String): Option[Known] = {
    val name = option.toLowerCase(Locale.ROOT)
    if (name == "none" || name == "uncompressed") None
    else
      Table
        .find(k =>
          k.sparkName.contains(name) || k.hadoopClasses.exists(c => name.endsWith(s".${c.toLowerCase(Locale.ROOT)}"))
        )
        .orElse(
          throw new InvalidOptionException(
            s"cannot write $target with compression '$option': Spark knows no such codec; $use"
          )
        )
  }

  /** The codec of one file, by its name's last extension. */
  def of(part: Part): Codec = {
    val name = part.name.toLowerCase(Locale.ROOT)
    Table.find(_.extensions.exists(name.endsWith)).fold[Codec](Plain) { known =>
      known.joins.getOrElse(
        throw new UnsupportedFormatException(
          s"${part.path} is ${known.name}-compressed, and ${known.name} streams cannot be joined end to end: " +
            s"write the parts uncompressed or with ${names(Joinable.map(_.name))}"
        )
      )
    }
  }

  /** The one codec all the parts share. */
  def common(parts: Seq[Part]): Codec = {
    val codecs = parts.map(p => p -> of(p))
    codecs.headOption.fold[Codec](Plain) { case (first, codec) =>
      codecs.find(_._2 != codec).foreach { case (other, otherCodec) =>
        throw new UnsupportedFormatException(
          s"${first.path} is ${codec.describe} but ${other.path} is ${otherCodec.describe}: a merged file has one " +
            "compression; rewrite the parts with one codec"
        )
      }
      codec
    }
  }

  /** Passes writes through and flushes on close, so a finished encoder does not close the merged file. */
  private final class KeepOpen(out: OutputStream) extends OutputStream {
    override def write(b: Int): Unit = out.write(b)
    override def write(b: Array[Byte], off: Int, len: Int): Unit = out.write(b, off, len)
    override def flush(): Unit = out.flush()
    override def close(): Unit = out.flush()
  }
}
