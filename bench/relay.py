"""A TCP relay that counts the bytes between a store's connector and a loopback server: the bytes through the
driver, measured on its connections (bench/gcs.py, bench/azure.py)."""

from __future__ import annotations

import socket
import threading


class Relay:
    """A TCP relay in front of the server that counts the bytes of every connection, each way. What a client
    leaves unread when it drops a connection is counted too, as far as it left the server: on the real store
    those bytes would have crossed the network to the driver all the same. Its own socket buffer towards the
    client is kept small, so that it holds about what a direct connection would, not the megabytes Linux gives
    loopback. It also counts the requests that read objects' bytes, those that begin with ``download`` (a
    method and the start of a path): each request is relayed byte for byte, its Host header included."""

    CHUNK = 256 * 1024

    def __init__(self, endpoint: str, download: bytes) -> None:
        self.server_port = int(endpoint.rsplit(":", 1)[1])
        self.download = download
        self.up = 0
        self.down = 0
        self.downloads = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def counts(self) -> tuple[int, int, int]:
        with self._lock:
            return self.up, self.down, self.downloads

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.CHUNK)
            server = socket.create_connection(("127.0.0.1", self.server_port))
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, up: bool) -> None:
        buffer = bytearray(self.CHUNK)
        view = memoryview(buffer)
        try:
            while n := source.recv_into(buffer):
                with self._lock:
                    if up:
                        self.up += n
                        # A request's first line comes at the start of a write of the client's: a GET has no body.
                        self.downloads += n > len(self.download) and buffer.startswith(self.download)
                    else:
                        self.down += n
                sink.sendall(view[:n])
        except OSError:
            pass
        finally:
            # A half close passes on as a half close: closing both ends at once cut answers short, which the
            # connector retried (a compose retried finds its own object and fails the merge).
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass
