package sparkmerge.sql

import java.util.Locale

import org.apache.spark.sql.connector.catalog.{Identifier, ProcedureCatalog}
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure
import org.apache.spark.sql.util.CaseInsensitiveStringMap

import sparkmerge.InvalidOptionException

/**
 * The procedures of sparkmerge, as a catalog of Spark 4's: with `spark.sql.catalog.sparkmerge` set to this
 * class, `CALL sparkmerge.system.merge(source => ..., target => ...)` merges from any client, Spark Connect and
 * SQL included. Spark 3.5 has no procedures; this folder is built for Spark 4 only.
 */
class Procedures extends ProcedureCatalog {
  private var catalogName = Procedures.DefaultName

  override def initialize(name: String, options: CaseInsensitiveStringMap): Unit = catalogName = name

  override def name(): String = catalogName

  override def loadProcedure(ident: Identifier): UnboundProcedure = {
    val path = (ident.namespace().toSeq :+ ident.name()).map(_.toLowerCase(Locale.ROOT))
    if (path == Seq(Procedures.Namespace, MergeProcedure.Name)) MergeProcedure
    else
      throw new InvalidOptionException(
        s"no procedure $catalogName.${(ident.namespace() :+ ident.name()).mkString(".")}: sparkmerge has " +
          s"$catalogName.${Procedures.Namespace}.${MergeProcedure.Name}"
      )
  }
}

object Procedures {
  val DefaultName: String = "sparkmerge"
  val Namespace: String = "system"

  /** The session setting that makes the catalog known, as the Python package and the README set it. */
  val CatalogConf: String = s"spark.sql.catalog.$DefaultName"
}
