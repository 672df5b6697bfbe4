package sparkmerge.cli

import java.util.Properties

/** What `--help` and `--version` print, under the name of the program the user ran. */
private[sparkmerge] object Help {

  def text(prog: String): String =
    s"""usage: $prog [options] SOURCE TARGET
       |       $prog --clean PATH
       |
       |Merge the part-* files of a directory Spark wrote into one file, in part order.
       |
       |  SOURCE TARGET          the directory Spark wrote (any Hadoop path), and the one file to write; a TARGET
       |                         with {column} in it, out/{country}.csv, makes a file per value of a directory
       |                         written with partitionBy. A path that starts with '-' goes after --
       |  --header               each part starts with a header line: keep one
       |  --overwrite            replace TARGET if it exists
       |  --delete-source        remove SOURCE once TARGET is in place
       |  -o, --option KEY=VALUE how the parts were written, by Spark's option names: sep, quote, escape,
       |                         lineSep, encoding
       |  --missing-newline add|refuse
       |                         where a part's last line has no line break: add one (the default), or refuse
       |  --clean PATH           remove what merges to PATH (a target, a directory of targets, a {column}
       |                         template) left when they were killed
       |  --json                 print the result as one JSON object on stdout (an error as {"error": ...,
       |                         "message": ...})
       |  -h, --help             show this help
       |  --version              show the version""".stripMargin

  /** The version the build wrote into the jar, from the VERSION file the Python package reads too. */
  lazy val version: String = {
    val properties = new Properties()
    val in = getClass.getResourceAsStream("/sparkmerge/build.properties")
    if (in != null)
      try properties.load(in)
      finally in.close()
    properties.getProperty("version", "unknown")
  }
}
