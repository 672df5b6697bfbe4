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
private[sparkmerge] sealed abstract class Codec(val name: String, val extension: String, val hadoopClass: String = "") {

  /** For messages: "uncompressed", "gzip-compressed". */
  def describe: String = if (this == Codec.Plain) "uncompressed" else s"$name-compressed"

  /** The part's lines, decoded; closing the decoder closes `in`. */
  def decode(in: InputStream): InputStream

  /** An encoder on `out`; closing it finishes the stream but leaves `out` open. */
  def encode(out: OutputStream): OutputStream
}

private[sparkmerge] object Codec {

  case object Plain extends Codec("none", "") {
    def decode(in: InputStream): InputStream = in
    def encode(out: OutputStream): OutputStream = new KeepOpen(out)
  }

  case object Gzip extends Codec("gzip", ".gz", "GzipCodec") {
    def decode(in: InputStream): InputStream = new GZIPInputStream(in, 64 << 10)
    def encode(out: OutputStream): OutputStream = new GZIPOutputStream(new KeepOpen(out), 64 << 10)
  }

  case object Bzip2 extends Codec("bzip2", ".bz2", "BZip2Codec") {
    // Hadoop's own codec, pure Java when no native library is loaded, as Spark wrote the parts with it.
    private def codec = ReflectionUtils.newInstance(classOf[BZip2Codec], new Configuration(false))
    def decode(in: InputStream): InputStream = codec.createInputStream(in)
    def encode(out: OutputStream): OutputStream = codec.createOutputStream(new KeepOpen(out))
  }

  case object Zstd extends Codec("zstd", ".zst", "ZStandardCodec") {
    // zstd-jni ships with Spark; Hadoop's ZStandardCodec would need Hadoop's native library.
    def decode(in: InputStream): InputStream = new com.github.luben.zstd.ZstdInputStream(in)
    def encode(out: OutputStream): OutputStream = new com.github.luben.zstd.ZstdOutputStream(new KeepOpen(out))
  }

  val Joinable: Seq[Codec] = Seq(Gzip, Bzip2, Zstd)

  /** For messages: "gzip, bzip2 or zstd". */
  private val joinableNames: String = Joinable.map(_.name).init.mkString(", ") + " or " + Joinable.last.name

  /** Codecs whose streams do not survive being joined: a Hadoop block format, or a single raw stream. */
  private val NotJoinable: Map[String, String] = Map(
    ".deflate" -> "deflate",
    ".snappy" -> "snappy",
    ".lz4" -> "lz4",
    ".lzo" -> "lzo",
    ".lzo_deflate" -> "lzo",
    ".br" -> "brotli",
    ".xz" -> "xz"
  )

  /**
   * Refuses a Spark `compression` (or `codec`) writer option whose streams do not join, or that Spark would
   * refuse itself, before any job runs. Spark takes a short name (its own list) or a Hadoop codec class.
   */
  def checkWriterOption(option: String, target: String): Unit = {
    val name = option.toLowerCase(Locale.ROOT)
    def unjoinable(codec: String) = new UnsupportedFormatException(
      s"cannot write $target with compression $codec: its streams cannot be joined end to end; use gzip or " +
        "bzip2, or no compression"
    )
    SparkShortNames.get(name) match {
      case Some(joins)                              => if (!joins) throw unjoinable(option)
      case None if name.endsWith(".zstandardcodec") =>
        // Spark writes with Hadoop's codec, which has no Java implementation of zstd (Spark's own zstd-jni reads it).
        if (!org.apache.hadoop.io.compress.ZStandardCodec.isNativeCodeLoaded)
          throw new UnsupportedFormatException(
            s"cannot write $target with compression $option: Hadoop writes zstd only through its native library, " +
              "which this JVM has not loaded; use gzip or bzip2"
          )
      case None if Joinable.exists(c => name.endsWith(s".${c.hadoopClass.toLowerCase(Locale.ROOT)}")) => ()
      case None if HadoopUnjoinable.exists(c => name.endsWith(s".${c.toLowerCase(Locale.ROOT)}"))     =>
        throw unjoinable(option)
      case None =>
        throw new InvalidOptionException(
          s"cannot write $target with compression '$option': Spark knows no such codec; use gzip, bzip2 or none"
        )
    }
  }

  /** Spark's short codec names for text files (CompressionCodecs), and whether what each writes joins. */
  private val SparkShortNames: Map[String, Boolean] = Map(
    "none" -> true,
    "uncompressed" -> true,
    "gzip" -> true,
    "bzip2" -> true,
    "deflate" -> false,
    "lz4" -> false,
    "snappy" -> false
  )

  private val HadoopUnjoinable = Seq("DeflateCodec", "DefaultCodec", "Lz4Codec", "SnappyCodec", "BrotliCodec")

  /** The codec of one file, by its name's last extension. */
  def of(part: Part): Codec = {
    val name = part.name.toLowerCase(Locale.ROOT)
    NotJoinable.collectFirst { case (ext, codec) if name.endsWith(ext) => codec }.foreach { codec =>
      throw new UnsupportedFormatException(
        s"${part.path} is $codec-compressed, and $codec streams cannot be joined end to end: write the parts " +
          s"uncompressed or with $joinableNames"
      )
    }
    Joinable.find(c => name.endsWith(c.extension)).getOrElse(Plain)
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
