package sparkmerge.objectstore

import java.io.IOException

import scala.collection.mutable.ArrayBuffer

import org.apache.hadoop.fs.{FileSystem, Path}
import org.slf4j.LoggerFactory

import sparkmerge.{FirstLine, MergeProgress}
import sparkmerge.copy.{CountingOutputStream, LineEnds, PieceReader}
import sparkmerge.objectstore.ComposeDestination.Built
import sparkmerge.objectstore.ComposeStore.Composition
import sparkmerge.objectstore.ComposeTree.Component
import sparkmerge.parts.Part
import sparkmerge.plan.{MergePlan, Piece, Strategy, UnendedParts}
import sparkmerge.publish.{Destination, HiddenFiles, Publisher, ShutdownCleanup, Staged}

/**
 * A target on Google Cloud Storage, through Google's connector: the store composes the target from the parts,
 * whole objects in its bucket, and from objects this JVM uploads beside it for everything else (a header dropped
 * from each part, a line break added, parts from elsewhere: [[ComposeLayout]]). A tree of composes
 * ([[ComposeTree]]) brings any number of them down to one call's worth, and that last call is the publish: it
 * makes the target in one step, conditional on the target's generation, so that of two merges racing for one
 * name exactly one wins, and an overwrite replaces only the object that was there when the merge began. The
 * hidden objects go whatever happens; those of a merge that died, with the next merge to the target or `--clean`.
 */
private[sparkmerge] final class ComposeDestination(
    val target: Path,
    val fs: FileSystem,
    store: ComposeStore,
    threads: Int
) extends Destination {
  private val log = LoggerFactory.getLogger(classOf[ComposeDestination])
  private val targetName = store.name(target)
  // The target's generation when the merge began (0: there was none): the only one an overwrite may replace.
  @volatile private var seen: Option[Long] = None

  def dataFs: FileSystem = fs

  override def objectStore: Boolean = true

  override def whyNotInStore(source: FileSystem, pieces: Seq[Piece]): Option[String] =
    if (!inBucket(source.getUri.getScheme, source.getUri.getAuthority))
      Some(
        s"the parts are in ${source.getUri}, not in the target's bucket ${store.bucket}: their bytes go through this JVM"
      )
    else {
      // A part that loses its first bytes (a header, a mark, a prolog) is read here: where one does, all but the
      // first do, and composing that one saves next to nothing.
      val cut = pieces.count(p => p.files > 0 && p.length > 0 && !composable(p))
      if (cut == 0) None
      else Some(s"the store composes whole objects only, and $cut parts lose their first bytes here: they are copied")
    }

  override def checkTarget(overwrite: Boolean): Unit = {
    super.checkTarget(overwrite)
    seen = Some(generationNow())
  }

  def write(plan: MergePlan, source: FileSystem, bufferBytes: Int, progress: MergeProgress): Staged = {
    if (seen.isEmpty) seen = Some(generationNow())
    val made = new Made
    try {
      val built = unchanged(build(plan, source, bufferBytes, progress, made))
      val (level, calls) = unchanged(ComposeTree.reduce(store, built.components, threads, () => made.newName()))
      val expected = plan.expectedLength(level.map(_.length).sum, built.lineBreaksAdded)
      if (level.map(_.length).sum != expected)
        throw new IOException(s"the objects hold ${level.map(_.length).sum} bytes, but the parts add up to $expected")
      new Composed(level, expected, built, calls + 1, made)
    } catch {
      case e: Throwable =>
        made.remove()
        throw failing(e)
    }
  }

  /** The target as components: the pieces the store composes, and between them the bytes uploaded from here. */
  private def build(
      plan: MergePlan,
      source: FileSystem,
      bufferBytes: Int,
      progress: MergeProgress,
      made: Made
  ): Built = {
    val pieces = plan.pieces
    val candidate =
      pieces.indices.filter(i => plan.strategy == Strategy.ServerSide && pieces(i).length > 0 && composable(pieces(i)))
    val lastBytes =
      if (plan.lineBreaks.isEmpty) Map.empty[Int, Int]
      else
        candidate.zip(UnendedParts.lastBytes(source, candidate.map(i => Part(pieces(i).path, pieces(i).length)))).toMap
    val lineEnds = new LineEnds(plan)
    val composed = ComposeLayout.of(
      pieces.map(_.length),
      candidate.toSet,
      i => lastBytes.get(i).exists(lineEnds.breakAfter(i, pieces(i), _)),
      ComposeStore.MaxComponents
    )
    val components = Vector.newBuilder[Component]
    var gathered = 0L
    var open: Option[(Path, CountingOutputStream)] = None
    def gather(): CountingOutputStream = {
      if (open.isEmpty) {
        val path = made.newPath()
        open = Some((path, new CountingOutputStream(fs.create(path, false, bufferBytes))))
      }
      open.get._2
    }
    def closeGather(): Unit = open.foreach { case (path, out) =>
      out.close() // the object appears here, whole
      components += Component(store.name(path), out.count)
      gathered += out.count
      open = None
    }
    val reader = new PieceReader(source, pieces.indices.filterNot(composed).map(pieces), bufferBytes)
    try
      pieces.indices.foreach { i =>
        val piece = pieces(i)
        val last =
          if (composed(i)) {
            closeGather()
            components += Component(store.name(piece.path), piece.length)
            progress.advance(piece.length)
            lastBytes.getOrElse(i, -1)
          } else if (piece.length == 0) -1
          else reader.copy(piece, gather(), progress)
        val separator = lineEnds.after(i, piece, last)
        if (separator.nonEmpty) gather().write(separator)
        progress.fileDone(piece.files)
      }
    finally reader.close()
    closeGather()
    val all = components.result()
    val nonEmpty = if (all.nonEmpty) all else { gather(); closeGather(); components.result() }
    Built(nonEmpty, composed.count(identity), gathered, lineEnds.added)
  }

  /** The components, at most one call's worth, that the publish composes into the target. */
  private final class Composed(level: Vector[Component], val length: Long, built: Built, calls: Int, made: Made)
      extends Staged {
    def path: Path = target
    def lineBreaksAdded: Int = built.lineBreaksAdded

    def publish(overwrite: Boolean): String =
      try {
        ShutdownCleanup.checkRunning()
        store.compose(level.map(_.name), targetName, if (overwrite) seen.getOrElse(0L) else 0L) match {
          case Composition.Done(_, bytes) if bytes == length => describe
          case Composition.Done(_, bytes)                    =>
            store.delete(Seq(targetName))
            throw new IOException(s"the store made $bytes bytes of the expected $length: a part changed while merging")
          case Composition.ConditionFailed if overwrite => throw Publisher.replacedMeanwhile(target)
          case Composition.ConditionFailed              => throw Publisher.exists(target, appeared = true)
          case Composition.SourceMissing                => throw new IOException("a part was deleted while merging")
        }
      } catch { case e: Throwable => throw failing(e) }
      finally made.remove()

    private def describe: String = {
      val gathered =
        if (built.gathered == 0) ""
        else f"; ${built.gathered / 1048576.0}%.1f MiB went through this JVM"
      s"the store composed ${built.composed} objects in $calls calls$gathered"
    }
  }

  /** The hidden objects of one merge, removed when it ends, and by the shutdown hook if the JVM stops first. */
  private final class Made {
    private val paths = ArrayBuffer.empty[Path]

    def newPath(): Path = {
      val path = HiddenFiles.beside(target, HiddenFiles.Kind.Piece)
      ShutdownCleanup.register(fs, path)
      paths.synchronized(paths += path)
      path
    }

    def newName(): String = store.name(newPath())

    def remove(): Unit = {
      val all = paths.synchronized(paths.toVector)
      try store.delete(all.map(store.name))
      catch {
        case e: IOException =>
          log.warn(s"sparkmerge: could not remove the hidden objects of the merge into $target: ${FirstLine.of(e)}")
      }
      all.foreach(ShutdownCleanup.release(fs, _))
    }
  }

  private def composable(piece: Piece): Boolean = piece match {
    case Piece.Whole(path, _, None, _) => inBucket(path.toUri.getScheme, path.toUri.getAuthority)
    case _                             => false
  }

  private def inBucket(scheme: String, bucket: String): Boolean =
    scheme == target.toUri.getScheme && bucket == store.bucket

  private def generationNow(): Long = unchanged(store.generation(targetName).getOrElse(0L))
}

private object ComposeDestination {

  /** What a merge's build made: the components in order, and what of them this JVM gathered. */
  final case class Built(components: Vector[Component], composed: Int, gathered: Long, lineBreaksAdded: Int)
}
