package sparkmerge.cli

import sparkmerge.MergeOptions

/**
 * The command line's words, the one parser of them however the command is run (spark-submit, hadoop jar, or
 * `python -m sparkmerge`, which passes its words on untouched): `SOURCE TARGET [--header] [--overwrite]
 * [--delete-source] [--option KEY=VALUE]... [--missing-newline add|refuse] [--json]`, `--clean PATH [--json]`,
 * `--help`, `--version`. Values go after `=` or as the next word; every word after `--` is a path, so that a path
 * may start with `-`. Only the words are checked here: the values are checked by [[sparkmerge.MergeCall]], as on
 * every other door.
 */
private[sparkmerge] final case class Arguments(command: Arguments.Command, json: Boolean)

private[sparkmerge] object Arguments {

  sealed trait Command

  /** What prints the command's own text: the help, the version. */
  sealed trait Text extends Command
  case object ShowHelp extends Text
  case object ShowVersion extends Text

  /** What runs on a file system and answers a result, or an error. */
  sealed trait Run extends Command
  final case class Merge(source: String, target: String, options: MergeOptions) extends Run
  final case class CleanPath(path: String) extends Run

  private val Switches = Set("--header", "--overwrite", "--delete-source", "--json", "--clean", "--help", "--version")
  // --master once chose the SparkSession the command line merged in. No Spark runs any more, but the scripts that
  // pass it must keep working: it is taken, and changes nothing.
  private val Valued = Set("--option", "--missing-newline", "--master")
  private val Short = Map("-o" -> "--option", "-h" -> "--help")

  private val DashedPath = "(a path that starts with '-' goes after --: SOURCE and TARGET follow it)"

  private type Named = List[(String, Option[String])]

  /** The arguments, or what is wrong with them in one line. */
  def parse(args: Seq[String]): Either[String, Arguments] = {
    val (named, positional) = split(args.toList, Nil, Nil)
    val asked = named.map(_._1).toSet
    // --clean=PATH, as argparse took it, names the path as --clean PATH does.
    val paths = positional ++ named.collect { case ("--clean", Some(path)) => path }
    val problem = named.collectFirst {
      case (name, _) if !Switches(name) && !Valued(name)          => s"unknown option $name $DashedPath"
      case (name, None) if Valued(name)                           => s"$name needs a value"
      case (name, Some(_)) if Switches(name) && name != "--clean" => s"$name takes no value"
      case ("--option", Some(kv)) if !kv.contains('=')            => s"--option $kv is not KEY=VALUE"
    }
    val command: Either[String, Command] =
      if (asked("--help")) Right(ShowHelp)
      else if (asked("--version")) Right(ShowVersion)
      else
        problem.toLeft(paths) match {
          case Left(problem)                        => Left(problem)
          case Right(Seq(path)) if asked("--clean") => Right(CleanPath(path))
          case Right(_) if asked("--clean")         => Left("--clean takes one PATH, and no SOURCE or TARGET")
          case Right(Seq(source, target))           => Right(Merge(source, target, options(named, asked)))
          case Right(_)                             => Left("give SOURCE and TARGET, or --clean PATH")
        }
    command.map(Arguments(_, json = asked("--json")))
  }

  private def options(named: Named, asked: String => Boolean): MergeOptions =
    MergeOptions(
      header = asked("--header"),
      overwrite = asked("--overwrite"),
      deleteSource = asked("--delete-source"),
      partOptions = named.collect { case ("--option", Some(kv)) => keyValue(kv) }.toMap,
      missingNewline = named.collect { case ("--missing-newline", Some(policy)) => policy }.lastOption.getOrElse("add")
    )

  private def keyValue(text: String): (String, String) = {
    val at = text.indexOf('=')
    (text.substring(0, at), text.substring(at + 1))
  }

  /** Each option by its long name with its value, if it has one, and the paths, in the order asked. */
  private def split(args: List[String], named: Named, paths: List[String]): (Named, List[String]) =
    args match {
      case Nil                                                 => (named.reverse, paths.reverse)
      case "--" :: rest                                        => (named.reverse, paths.reverse ++ rest)
      case word :: rest if word.startsWith("-") && word != "-" =>
        val (name, attached) = nameAndValue(word)
        (attached, rest) match {
          case (None, value :: more) if Valued(name) => split(more, (name, Some(value)) :: named, paths)
          case _                                     => split(rest, (name, attached) :: named, paths)
        }
      case path :: rest => split(rest, named, path :: paths)
    }

  private def nameAndValue(word: String): (String, Option[String]) = {
    val at = word.indexOf('=')
    val (name, value) =
      if (word.startsWith("--") && at > 0) (word.substring(0, at), Some(word.substring(at + 1))) else (word, None)
    (Short.getOrElse(name, name), value)
  }
}
