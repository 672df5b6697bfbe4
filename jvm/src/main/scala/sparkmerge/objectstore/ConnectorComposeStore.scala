package sparkmerge.objectstore

import java.io.IOException
import java.lang.reflect.{InvocationTargetException, Method}

import org.apache.hadoop.fs.{FileSystem, Path}

import sparkmerge.columnar.JavaLists

/**
 * The compose calls of Google's GCS connector (`GoogleHadoopFileSystem`), made through its own storage client
 * (`getGcsFs().getGcs()`), so that credentials, endpoint, retries and the requester-pays project are the user's
 * connector settings. The connector's shaded jar relocates that client's classes, so they are reached through
 * the running file system's methods, by reflection, never named here: whatever package the connector put them
 * in, the methods are those of `GoogleCloudStorage`. Built by [[GcsStores]], which falls back to the copy when a
 * connector lacks any of them.
 */
private[sparkmerge] final class ConnectorComposeStore private (
    val bucket: String,
    gcs: AnyRef,
    resourceId: (String, Long) => AnyRef,
    composeObjects: Method,
    getItemInfo: Method,
    deleteObjects: Method,
    overwriteOptions: AnyRef
) extends ComposeStore {

  def name(path: Path): String = path.toUri.getPath.stripPrefix("/")

  def generation(name: String): Option[Long] = {
    val info = call(getItemInfo, resourceId(name, -1L))
    if (!invoke[Boolean](info, "exists")) None else Some(invoke[Long](info, "getContentGeneration"))
  }

  def compose(sources: Seq[String], destination: String, ifGeneration: Long): ComposeStore.Composition = {
    require(sources.nonEmpty && sources.size <= ComposeStore.MaxSources, s"${sources.size} sources in one compose")
    val ids = JavaLists.list(sources.map(resourceId(_, -1L)))
    try {
      val info = call(composeObjects, ids, resourceId(destination, ifGeneration), overwriteOptions)
      ComposeStore.Composition.Done(invoke[Long](info, "getContentGeneration"), invoke[Long](info, "getSize"))
    } catch {
      case e: IOException if ConnectorComposeStore.status(e).contains(412) =>
        ComposeStore.Composition.ConditionFailed
      case e: IOException if ConnectorComposeStore.status(e).contains(404) =>
        ComposeStore.Composition.SourceMissing
    }
  }

  def delete(names: Seq[String]): Unit =
    if (names.nonEmpty) { call(deleteObjects, JavaLists.list(names.map(resourceId(_, -1L)))); () }

  private def call(method: Method, args: AnyRef*): AnyRef =
    try method.invoke(gcs, args: _*)
    catch { case e: InvocationTargetException => throw e.getCause }

  private def invoke[T](target: AnyRef, method: String): T =
    target.getClass.getMethod(method).invoke(target).asInstanceOf[T]
}

private[sparkmerge] object ConnectorComposeStore {

  /**
   * The store of `fs`'s bucket, or an exception of reflection or linkage where the connector does not have
   * the calls this needs.
   */
  def of(fs: FileSystem): ConnectorComposeStore = {
    val gcsFsMethod = fs.getClass.getMethod("getGcsFs")
    val gcsFs = gcsFsMethod.invoke(fs)
    // The interfaces' methods, not the implementations': those classes need not be public.
    val gcsMethod = gcsFsMethod.getReturnType.getMethod("getGcs")
    val gcs = gcsMethod.invoke(gcsFs)
    val storage = gcsMethod.getReturnType
    val loader = storage.getClassLoader
    val packageName = storage.getName.substring(0, storage.getName.lastIndexOf('.'))
    def named(simple: String): Class[_] = Class.forName(s"$packageName.$simple", false, loader)
    val idClass = named("StorageResourceId")
    val optionsClass = named("CreateObjectOptions")
    val bucket = fs.getUri.getAuthority
    val constructor = idClass.getConstructor(classOf[String], classOf[String], java.lang.Long.TYPE)
    new ConnectorComposeStore(
      bucket,
      gcs,
      (name, generation) => constructor.newInstance(bucket, name, Long.box(generation)).asInstanceOf[AnyRef],
      storage.getMethod("composeObjects", classOf[java.util.List[_]], idClass, optionsClass),
      storage.getMethod("getItemInfo", idClass),
      storage.getMethod("deleteObjects", classOf[java.util.List[_]]),
      optionsClass.getField("DEFAULT_OVERWRITE").get(null)
    )
  }

  /** The HTTP status of the store's answer behind `e`, where the client's exception says it. */
  def status(e: Throwable): Option[Int] =
    Iterator.iterate(e)(_.getCause).takeWhile(_ != null).take(10).map(statusOf).collectFirst { case Some(s) => s }

  private def statusOf(e: Throwable): Option[Int] =
    try Some(e.getClass.getMethod("getStatusCode").invoke(e).asInstanceOf[Int])
    catch { case _: ReflectiveOperationException | _: ClassCastException => None }
}
