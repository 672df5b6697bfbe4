"""An HTTP relay on 127.0.0.1 in front of a loopback server, which can hold the requests it relays that match a
pattern until the test releases them: so that a test acts at a known moment of a merge (both racing merges at
their commit, a part deleted while its copy waits) instead of after a timer. Azurite, unlike our GCS server, has
no such hook of its own.

Each request is relayed whole on a connection of its own to the server; the Host header is kept, so that what
the client signed and the URLs it names are as the server would have seen them directly."""

from __future__ import annotations

import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

#: How long a held request waits at most, released or not: no test hangs on a gate it forgot.
HOLD_SECONDS = 120
#: Headers of one hop, not relayed.
HOP_BY_HOP = {"connection", "keep-alive", "expect", "transfer-encoding", "proxy-connection", "upgrade"}


class Gate:
    """``with Gate(port) as gate``: ``gate.endpoint`` relays to ``127.0.0.1:port``."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._lock = threading.Condition()
        self._pattern: str | None = None
        self._held = 0
        self._permits = 0
        self._bytes_down = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Gate:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def hold(self, pattern: str) -> None:
        """Holds, from now on, every request whose line (``PUT /path?query``) the regular expression ``pattern``
        finds."""
        with self._lock:
            self._pattern = pattern

    def bytes_down(self) -> int:
        """The bytes of every answer's body relayed so far: what the client read from the server."""
        with self._lock:
            return self._bytes_down

    def held(self) -> int:
        """How many requests wait now."""
        with self._lock:
            return self._held

    def release(self) -> None:
        """Lets the held requests go on, and holds no more."""
        with self._lock:
            self._pattern = None
            self._lock.notify_all()

    def release_one(self) -> None:
        """Lets one held request go on (whichever wakes first), and goes on holding the others."""
        with self._lock:
            self._permits += 1
            self._lock.notify_all()

    def _wait_if_held(self, line: str) -> None:
        with self._lock:
            if self._pattern is None or re.search(self._pattern, line) is None:
                return
            self._held += 1
            try:
                self._lock.wait_for(lambda: self._pattern is None or self._permits > 0, timeout=HOLD_SECONDS)
                if self._pattern is not None and self._permits > 0:
                    self._permits -= 1
            finally:
                self._held -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gate = self

        class Relay(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                gate._wait_if_held(f"{self.command} {self.path}")
                upstream = http.client.HTTPConnection("127.0.0.1", gate.upstream_port, timeout=HOLD_SECONDS)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                    with gate._lock:
                        gate._bytes_down += len(data)
                    self.send_response_only(response.status, response.reason)
                    # A HEAD's Content-Length is the object's size, with no body: kept as the server said it.
                    for name, value in response.getheaders():
                        own = name.lower() == "content-length" and self.command != "HEAD"
                        if name.lower() not in HOP_BY_HOP and not own:
                            self.send_header(name, value)
                    if self.command != "HEAD":
                        self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = relay

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
                pass

        return Relay
