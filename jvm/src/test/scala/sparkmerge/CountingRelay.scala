package sparkmerge

import java.io.{InputStream, OutputStream}
import java.net.{InetAddress, ServerSocket, Socket, SocketException}
import java.util.concurrent.{ConcurrentLinkedQueue, Executors}
import java.util.concurrent.atomic.AtomicLong

/**
 * A TCP relay on 127.0.0.1 in front of a server, counting the bytes the server sends back: what crossed the wire
 * to this JVM, whatever the client's own statistics say.
 */
final class CountingRelay(serverPort: Int) extends AutoCloseable {
  private val listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress)
  private val served = new AtomicLong
  private val sockets = new ConcurrentLinkedQueue[Socket]
  private val threads = Executors.newCachedThreadPool { (body: Runnable) =>
    val thread = new Thread(body, "counting-relay")
    thread.setDaemon(true)
    thread
  }

  val port: Int = listener.getLocalPort

  /** The bytes the server has sent through the relay so far. */
  def bytesServed: Long = served.get

  threads.execute(() => {
    // Ends when close() closes the listener.
    try
      while (true) {
        val client = listener.accept()
        val server = new Socket(InetAddress.getLoopbackAddress, serverPort)
        sockets.add(client)
        sockets.add(server)
        threads.execute(() => pump(client.getInputStream, server.getOutputStream, None, client, server))
        threads.execute(() => pump(server.getInputStream, client.getOutputStream, Some(served), client, server))
      }
    catch { case _: SocketException => () }
  })

  // Ends at the end of either stream, or when close() closes the sockets.
  private def pump(in: InputStream, out: OutputStream, count: Option[AtomicLong], ends: Socket*): Unit = {
    val buffer = new Array[Byte](64 << 10)
    try {
      var n = in.read(buffer)
      while (n >= 0) {
        count.foreach(_.addAndGet(n.toLong))
        out.write(buffer, 0, n)
        n = in.read(buffer)
      }
    } catch { case _: java.io.IOException => () }
    finally ends.foreach(s => scala.util.Try(s.close()))
  }

  override def close(): Unit = {
    listener.close()
    sockets.forEach(s => scala.util.Try(s.close()))
    threads.shutdownNow()
    ()
  }
}
