package sparkmerge

import java.util.concurrent.CountDownLatch

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.hdfs.MiniDFSCluster
import sun.misc.Signal

/**
 * A real HDFS in a JVM of its own, for what runs outside ScalaTest: the pytest suite, `make demo HDFS=1` and the
 * HDFS benchmark. One NameNode and one DataNode on 127.0.0.1, their data under the base directory; once both are
 * up it prints `hdfs://127.0.0.1:PORT` as its last line on stdout, and it runs until SIGTERM or ^C (or, with
 * `--stop-at-eof`, the end of its stdin: a test run that dies leaves no server behind), when it shuts the cluster
 * down and deletes the base directory.
 *
 * {{{
 * java -cp "$(cat jvm/target/test-classpath.txt)" sparkmerge.MiniHdfsServer [--stop-at-eof] /tmp/hdfs [PORT]
 * }}}
 * `dev/mini-hdfs` runs it in the background. The block size is HDFS's default (128 MiB), as on a cluster.
 */
object MiniHdfsServer {

  def main(args: Array[String]): Unit = {
    val stopAtEof = args.headOption.contains("--stop-at-eof")
    val (base, port) = args.dropWhile(_ == "--stop-at-eof") match {
      case Array(base)       => (base, 0)
      case Array(base, port) => (base, port.toInt)
      case _                 =>
        System.err.println("usage: MiniHdfsServer [--stop-at-eof] BASE_DIR [PORT]   (PORT 0 or none: a free port)")
        sys.exit(2)
    }
    val conf = new Configuration()
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base)
    conf.setInt("dfs.replication", 1)
    // For the cluster's own client; the clients of other JVMs need it too (dev/mini-hdfs writes it to conf/).
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 5)
    val cluster = new MiniDFSCluster.Builder(conf).nameNodePort(port).numDataNodes(1).build()
    cluster.waitActive()

    // SIGTERM (and ^C) stop the cluster before the JVM shuts down: inside a shutdown hook the DataNode fails
    // half way, as its own shutdown wants to remove a hook.
    val stop = new CountDownLatch(1)
    Seq("TERM", "INT").foreach(name => Signal.handle(new Signal(name), (_: Signal) => stop.countDown()))
    if (stopAtEof) {
      val watch = new Thread(() => {
        try while (System.in.read() >= 0) {}
        catch { case _: java.io.IOException => }
        stop.countDown()
      })
      watch.setDaemon(true)
      watch.start()
    }
    println(s"hdfs://127.0.0.1:${cluster.getNameNodePort}")
    System.out.flush()
    stop.await()
    cluster.shutdown(true)
    System.err.println(s"MiniHdfsServer: stopped, $base deleted")
    sys.exit(0)
  }
}
