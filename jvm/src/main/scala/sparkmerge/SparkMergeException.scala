package sparkmerge

import java.io.IOException

/**
 * Every refusal and failure of a merge. The message is one line that names the path and what to do; the
 * Python wrapper maps each subclass, by its simple name, to an exception class of its own. Sealed, so that the
 * family here and the Python table (python/sparkmerge/errors.py) list the same classes.
 */
sealed abstract class SparkMergeException(message: String, cause: Option[Throwable] = None)
    extends IOException(message, cause.orNull)

final class SourceNotFoundException(message: String) extends SparkMergeException(message)

final class EmptySourceException(message: String) extends SparkMergeException(message)

final class TargetExistsException(message: String) extends SparkMergeException(message)

final class HeaderMismatchException(message: String) extends SparkMergeException(message)

final class UnsupportedFormatException(message: String) extends SparkMergeException(message)

/** The paths do not fit together: sub-directories in the source, a target inside the source, and the like. */
final class InvalidLayoutException(message: String) extends SparkMergeException(message)

/** An option sparkmerge reads has a value it cannot take: a save mode, a codec, a flag. */
final class InvalidOptionException(message: String) extends SparkMergeException(message)

/** The file system failed during the merge; the target and the sources are as they were before. */
final class MergeFailedException(message: String, cause: Option[Throwable] = None)
    extends SparkMergeException(message, cause)
