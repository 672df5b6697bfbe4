package sparkmerge

import java.nio.charset.StandardCharsets.UTF_8
import java.nio.file.Files

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.apache.hadoop.hdfs.{DistributedFileSystem, MiniDFSCluster}
import org.scalatest.{BeforeAndAfterAll, Suite}

/** One real HDFS (a NameNode and a DataNode on loopback) for a whole suite. */
trait MiniHdfs extends BeforeAndAfterAll { this: Suite =>

  private var cluster: MiniDFSCluster = _
  private var base: java.nio.file.Path = _

  def hdfs: DistributedFileSystem = cluster.getFileSystem
  def hdfsConf: Configuration = cluster.getConfiguration(0)

  override def beforeAll(): Unit = {
    base = Files.createTempDirectory("sparkmerge-minidfs")
    val conf = new Configuration()
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString)
    conf.setLong("dfs.blocksize", 1L << 20) // small blocks, so that small files span several
    conf.setInt("dfs.bytes-per-checksum", 512)
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 1024)
    // Closing a file waits for the DataNode's block report, polling from 400 ms: 1,000 parts would take minutes.
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 5)
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build()
    cluster.waitActive()
    super.beforeAll()
  }

  override def afterAll(): Unit = {
    try super.afterAll()
    finally {
      if (cluster != null) cluster.shutdown(true)
      org.apache.commons.io.FileUtils.deleteQuietly(base.toFile)
    }
  }

  def hdfsWrite(path: String, text: String): Path = hdfsWriteBytes(path, text.getBytes(UTF_8))

  def hdfsWriteBytes(path: String, bytes: Array[Byte], blockSize: Long = 1L << 20): Path = {
    val p = new Path(path)
    val out = hdfs.create(p, true, 4096, 1.toShort, blockSize)
    try out.write(bytes)
    finally out.close()
    hdfs.makeQualified(p)
  }

  def hdfsRead(path: String): String = {
    val in = hdfs.open(new Path(path))
    try new String(in.readAllBytes(), UTF_8)
    finally in.close()
  }

  def hdfsListing(dir: String): Seq[String] =
    if (!hdfs.exists(new Path(dir))) Nil
    else hdfs.listStatus(new Path(dir)).map(_.getPath.getName).toSeq.sorted
}
