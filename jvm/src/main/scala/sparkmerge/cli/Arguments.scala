package sparkmerge.cli

import sparkmerge.MergeOptions

/**
 * The command line's words: `SOURCE TARGET [--header] [--overwrite] [--delete-source] [--option KEY=VALUE]...
 * [--missing-newline add|refuse] [--json]`, or `--clean PATH [--json]`. Values go after `=` or as the next word;
 * every word after `--` is a path, so that a path may start with `-`.
 */
private[sparkmerge] final case class Arguments(paths: Seq[String], options: MergeOptions, clean: Boolean, json: Boolean)

private[sparkmerge] object Arguments {

  val Usage: String =
    "usage: sparkmerge SOURCE TARGET [--header] [--overwrite] [--delete-source] [--option KEY=VALUE]... " +
      "[--missing-newline add|refuse] [--json]\n       sparkmerge --clean PATH [--json]"

  private val Switches = Set("--header", "--overwrite", "--delete-source", "--json", "--clean")
  private val Valued = Set("--option", "--missing-newline")

  /** The arguments, or what is wrong with them. */
  def parse(args: Seq[String]): Either[String, Arguments] = {
    val (named, paths) = split(args.toList, Nil, Nil)
    val flags = named.map(_._1).toSet
    named
      .collectFirst { case (name, _) if !Switches(name) && !Valued(name) => s"unknown option $name" }
      .orElse(named.collectFirst { case (name, None) if Valued(name) => s"$name needs a value" })
      .orElse(named.collectFirst {
        case ("--option", Some(kv)) if !kv.contains('=') => s"--option $kv is not KEY=VALUE"
      })
      .orElse(if (paths.size != (if (flags("--clean")) 1 else 2)) Some("wrong number of paths") else None) match {
      case Some(problem) => Left(problem)
      case None          =>
        val partOptions = named.collect { case ("--option", Some(kv)) => keyValue(kv) }
        val newline = named.collectFirst { case ("--missing-newline", Some(policy)) => policy }
        Right(
          Arguments(
            paths,
            MergeOptions(
              header = flags("--header"),
              overwrite = flags("--overwrite"),
              deleteSource = flags("--delete-source"),
              partOptions = partOptions.toMap,
              missingNewline = newline.getOrElse("add")
            ),
            clean = flags("--clean"),
            json = flags("--json")
          )
        )
    }
  }

  private def keyValue(text: String): (String, String) = {
    val at = text.indexOf('=')
    (text.substring(0, at), text.substring(at + 1))
  }

  private def split(
      args: List[String],
      named: List[(String, Option[String])],
      paths: List[String]
  ): (List[(String, Option[String])], List[String]) =
    args match {
      case Nil                                                      => (named.reverse, paths.reverse)
      case "--" :: rest                                             => (named.reverse, paths.reverse ++ rest)
      case arg :: rest if arg.startsWith("--") && arg.contains('=') =>
        val (name, value) = keyValue(arg)
        split(rest, (name, Some(value)) :: named, paths)
      case arg :: value :: rest if Valued(arg) => split(rest, (arg, Some(value)) :: named, paths)
      case arg :: rest if arg.startsWith("--") => split(rest, (arg, None) :: named, paths)
      case path :: rest                        => split(rest, named, path :: paths)
    }
}
