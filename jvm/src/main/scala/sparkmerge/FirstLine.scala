package sparkmerge

import java.nio.file.{
  AccessDeniedException,
  DirectoryNotEmptyException,
  FileAlreadyExistsException,
  FileSystemException,
  NoSuchFileException,
  NotDirectoryException
}

/**
 * The first line of an exception's message, for one-line errors and log lines. Java's file exceptions carry
 * just the path as their message ("/data/part-00001"), so theirs is said in words: "permission denied:
 * /data/part-00001". An exception with no message is named by its class.
 */
private[sparkmerge] object FirstLine {
  def of(e: Throwable): String = e match {
    case file: FileSystemException =>
      val what = Option(file.getReason).getOrElse(words(file))
      (Seq(what, file.getFile) ++ Option(file.getOtherFile)).filter(_ != null).mkString(": ")
    case _ =>
      Option(e.getMessage).flatMap(_.linesIterator.map(_.trim).find(_.nonEmpty)).getOrElse(e.getClass.getSimpleName)
  }

  private def words(e: FileSystemException): String = e match {
    case _: AccessDeniedException      => "permission denied"
    case _: NoSuchFileException        => "no such file or directory"
    case _: FileAlreadyExistsException => "already exists"
    case _: DirectoryNotEmptyException => "directory not empty"
    case _: NotDirectoryException      => "not a directory"
    case other                         => other.getClass.getSimpleName
  }
}
