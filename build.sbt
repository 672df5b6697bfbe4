// One engine jar per Scala line: 2.13 for Spark 4, 2.12 for Spark 3.5.
// Spark and Hadoop are provided by the cluster, so the jar carries only our own classes.

val scala213 = "2.13.16"
val scala212 = "2.12.18"

// The Spark each Scala line is built against, and the Hadoop client that Spark ships with.
val sparkFor = Map("2.13" -> "4.0.4", "2.12" -> "3.5.7")
val hadoopFor = Map("2.13" -> "3.4.1", "2.12" -> "3.3.4")
// Spark's Avro writer, an external module: the newest of each line on Maven Central (4.0.4's is not there).
val sparkAvroFor = Map("2.13" -> "4.0.2", "2.12" -> "3.5.7")

ThisBuild / version := IO.read(file("VERSION")).trim
ThisBuild / organization := "io.github.sparkmerge"
ThisBuild / scalaVersion := scala213

lazy val sparkmerge = (project in file("jvm"))
  .settings(
    name := "sparkmerge",
    crossScalaVersions := Seq(scala213, scala212),
    // Lint warnings are errors: an unused import or an unreachable case fails the build, here and in CI.
    scalacOptions ++= Seq("-deprecation", "-feature", "-unchecked", "-Xlint", "-Xfatal-warnings"),
    // Spark 3.5 still runs on Java 8, so the 2.12 jar is checked against Java 8's API and written as its bytecode
    // (class version 52). The 2.13 jar keeps scalac's default bytecode (also 52): whatever JVM a jar of the wrong
    // line lands on, it loads, and the Python wrapper can say which jar the session needs. The tests run on the
    // build's Java 17 and use its API.
    Compile / scalacOptions ++= (if (scalaBinaryVersion.value == "2.12") Seq("-release", "8") else Nil),
    // The S3 multipart calls, written once per S3A: the source folder of the Hadoop this line's Spark ships.
    Compile / unmanagedSourceDirectories +=
      (Compile / sourceDirectory).value / s"hadoop-${hadoopFor(scalaBinaryVersion.value).split('.').take(2).mkString(".")}",
    // SQL procedures exist from Spark 4 on: their catalog is built on the 2.13 line only.
    Compile / unmanagedSourceDirectories ++=
      (if (scalaBinaryVersion.value == "2.13") Seq((Compile / sourceDirectory).value / "spark-4") else Nil),
    Test / unmanagedSourceDirectories ++=
      (if (scalaBinaryVersion.value == "2.13") Seq((Test / sourceDirectory).value / "spark-4") else Nil),
    Test / scalacOptions --= Seq("-release", "8"),
    javacOptions ++= Seq("--release", "8"),
    // What the jar was built for, read by the Python wrapper to refuse a jar of the other Scala line.
    Compile / resourceGenerators += Def.task {
      val line = scalaBinaryVersion.value
      val file = (Compile / resourceManaged).value / "sparkmerge" / "build.properties"
      val text =
        s"""version=${version.value}
           |scala.version=${scalaVersion.value}
           |scala.binary.version=$line
           |spark.version=${sparkFor(line)}
           |hadoop.version=${hadoopFor(line)}
           |""".stripMargin
      // Rewritten only when it changes, so that an unchanged build packages nothing anew.
      if (!file.exists || IO.read(file) != text) IO.write(file, text)
      Seq(file)
    }.taskValue,
    libraryDependencies ++= {
      val line = CrossVersion.binaryScalaVersion(scalaVersion.value)
      Seq(
        "org.apache.spark" %% "spark-sql" % sparkFor(line) % Provided,
        "org.apache.hadoop" % "hadoop-client-api" % hadoopFor(line) % Provided,
        // S3A and its AWS SDK (v1 in Hadoop 3.3, v2 in 3.4) are the cluster's: compiled against, never bundled.
        // In the tests they talk to an S3 server on loopback.
        "org.apache.hadoop" % "hadoop-aws" % hadoopFor(line) % Provided,
        // A real NameNode and DataNode on loopback, shaded to sit beside Spark's own shaded Hadoop client.
        "org.apache.hadoop" % "hadoop-client-minicluster" % hadoopFor(line) % Test,
        // Only for the tests to write Avro parts with Spark's writer, as a user's session with it would.
        ("org.apache.spark" %% "spark-avro" % sparkAvroFor(line) % Test).intransitive(),
        "org.scalatest" %% "scalatest" % "3.2.19" % Test
      ) ++ (
        // Hadoop's ABFS connector, whose blob client the Azure store's staged blocks are written against; a cluster
        // has its own, never bundled. 3.4.2, Spark 4.1's own Hadoop, and not 3.4.1 of Spark 4.0: it is the first
        // with a blob client, and to speak to an account without a hierarchical namespace over the Blob endpoint,
        // the only one Azurite (the tests' store on loopback) has. Intransitive: what it needs is in Spark's jars
        // (Hadoop's shaded client, httpclient, Jackson); its other dependencies serve wasb://. Spark 3.5's Hadoop
        // 3.3 has no blob client: that line copies instead.
        if (line == "2.13")
          Seq(("org.apache.hadoop" % "hadoop-azure" % "3.4.2" % Provided).intransitive())
        else Nil
      ) ++ (
        // Google's GCS connector, as Dataproc has it (shaded: it brings its own Google clients), for the tests that
        // compose on a GCS server on loopback; a cluster has its own, never bundled. Spark 4's line only: the
        // connector on Maven Central here (4.x) needs Hadoop 3.4's classes, and Spark 3.5 ships Hadoop 3.3.
        if (line == "2.13")
          Seq(("com.google.cloud.bigdataoss" % "gcs-connector" % "4.0.4" % Test).classifier("shaded").intransitive())
        else Nil
      )
    },
    Test / fork := true,
    Test / javaOptions ++= Seq(
      "-Xmx2g",
      // What spark-submit adds on Java 17; Spark's own classes need them inside the test JVM too.
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
    ),
    Test / parallelExecution := false,
    Test / testOptions += Tests.Argument(TestFrameworks.ScalaTest, "-oD")
  )
