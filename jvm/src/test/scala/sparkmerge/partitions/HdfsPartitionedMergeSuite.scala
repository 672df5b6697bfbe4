package sparkmerge
package partitions

import org.apache.hadoop.fs.Path
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

class HdfsPartitionedMergeSuite extends AnyFunSuite with Matchers with MiniHdfs {

  test("each partition is concatenated into its own file on HDFS, and the source goes") {
    val rows = Map("FR" -> Seq("1\n", "2\n", "3\n"), "DE" -> Seq("4\n", "5\n"))
    for ((country, parts) <- rows; (row, i) <- parts.zipWithIndex)
      hdfsWrite(f"/p/src/country=$country/part-$i%05d-u-c000.csv", row)
    hdfsWrite("/p/src/_SUCCESS", "")

    val results = PartitionedMerge.merge(
      s"${hdfs.getUri}/p/src",
      s"${hdfs.getUri}/p/out/{country}.csv",
      MergeOptions(deleteSource = true),
      hdfsConf
    )

    results.map(_.strategy) shouldBe Seq("concat", "concat")
    hdfsRead("/p/out/FR.csv") shouldBe "1\n2\n3\n"
    hdfsRead("/p/out/DE.csv") shouldBe "4\n5\n"
    hdfs.exists(new Path("/p/src")) shouldBe false
  }
}
