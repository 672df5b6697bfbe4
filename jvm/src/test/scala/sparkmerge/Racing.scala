package sparkmerge

import java.util.concurrent.{CountDownLatch, Executors, TimeUnit}

import scala.util.Try

/** Two calls let go at the same moment on two threads, as two jobs racing for one target. */
object Racing {

  def both[T](first: => T, second: => T, timeoutSeconds: Long = 60): (Try[T], Try[T]) = {
    val pool = Executors.newFixedThreadPool(2)
    val start = new CountDownLatch(1)
    try {
      val a = pool.submit(() => { start.await(); Try(first) })
      val b = pool.submit(() => { start.await(); Try(second) })
      start.countDown()
      (a.get(timeoutSeconds, TimeUnit.SECONDS), b.get(timeoutSeconds, TimeUnit.SECONDS))
    } finally pool.shutdownNow()
  }
}
