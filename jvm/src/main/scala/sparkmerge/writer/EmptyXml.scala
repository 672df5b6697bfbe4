package sparkmerge.writer

import java.nio.charset.StandardCharsets.UTF_8

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.MergeFailedException
import sparkmerge.parts.{Part, PartDiscovery}

/**
 * The XML document of a DataFrame without rows. Spark's writer writes an empty part then, no document at all
 * (its root element starts with the first row), so `write_single` writes the declaration and an empty root
 * element itself, as Spark writes them: the `declaration` and `rootTag` given (`ROWS a='b'` is the root `ROWS`
 * with an attribute), or Spark's defaults.
 */
private[sparkmerge] object EmptyXml {

  private val DefaultDeclaration = """version="1.0" encoding="UTF-8" standalone="yes""""

  /** The document, written into `work`, where `dataDir` holds no byte of data; None where it holds some. */
  def ifNoRows(fs: FileSystem, spec: WriteSpec, dataDir: Path, work: Path): Option[Part] =
    if (
      !WriteSpec.DocumentFormats.contains(spec.format) || PartDiscovery
        .list(fs, dataDir, allowEmpty = true)
        .exists(_.length > 0)
    ) None
    else {
      val file = new Path(new Path(work, "lead"), "part-00000")
      try {
        val out = fs.create(file, false)
        try out.write(document(spec.dataOptions).getBytes(UTF_8))
        finally out.close()
      } catch {
        case e: java.io.IOException =>
          throw new MergeFailedException(s"could not write the empty XML document to $file: ${e.getMessage}", Some(e))
      }
      PartDiscovery.list(fs, file.getParent).headOption
    }

  def document(options: Map[String, String]): String = {
    def option(name: String) = options.collectFirst { case (k, v) if k.equalsIgnoreCase(name) => v }
    val declaration = option("declaration").getOrElse(DefaultDeclaration)
    val root = option("rootTag").getOrElse("ROWS").split(" ")
    val attributes = root.tail.map { kv =>
      val at = kv.indexOf('=')
      val value = kv.substring(at + 1).replaceAll("['\"]", "")
      s""" ${kv.substring(0, at)}="${escape(value)}""""
    }
    val prolog = if (declaration.isEmpty) "" else s"<?xml $declaration?>\n"
    s"$prolog<${root.head}${attributes.mkString}>\n</${root.head}>"
  }

  private def escape(value: String): String =
    value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")
}
