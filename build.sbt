// One engine jar per Scala line: 2.13 for Spark 4, 2.12 for Spark 3.5.
// Spark and Hadoop are provided by the cluster, so the jar carries only our own classes.

val scala213 = "2.13.16"
val scala212 = "2.12.18"

// The Spark each Scala line is built against, and the Hadoop client that Spark ships with.
val sparkFor = Map("2.13" -> "4.0.4", "2.12" -> "3.5.7")
val hadoopFor = Map("2.13" -> "3.4.1", "2.12" -> "3.3.4")

ThisBuild / version := IO.read(file("VERSION")).trim
ThisBuild / organization := "io.github.sparkmerge"
ThisBuild / scalaVersion := scala213

lazy val sparkmerge = (project in file("jvm"))
  .settings(
    name := "sparkmerge",
    crossScalaVersions := Seq(scala213, scala212),
    scalacOptions ++= Seq("-deprecation", "-feature", "-unchecked"),
    javacOptions ++= Seq("--release", "8"),
    libraryDependencies ++= {
      val line = CrossVersion.binaryScalaVersion(scalaVersion.value)
      Seq(
        "org.apache.spark" %% "spark-sql" % sparkFor(line) % Provided,
        "org.apache.hadoop" % "hadoop-client-api" % hadoopFor(line) % Provided,
        // A real NameNode and DataNode on loopback, shaded to sit beside Spark's own shaded Hadoop client.
        "org.apache.hadoop" % "hadoop-client-minicluster" % hadoopFor(line) % Test,
        "org.scalatest" %% "scalatest" % "3.2.19" % Test
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
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
    ),
    Test / parallelExecution := false,
    Test / testOptions += Tests.Argument(TestFrameworks.ScalaTest, "-oD")
  )
