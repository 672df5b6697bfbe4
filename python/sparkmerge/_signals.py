"""SIGINT and SIGTERM passed on to a child process, so that stopping the command line stops its JVM too.

The handlers only pass the signal on and note it; they raise nothing. An exception raised by a handler could
land inside ``subprocess.Popen`` before it returns the child, and leave that JVM running with no one to wait
for it. The JVM ends on the signal, which ends the wait for its output; the caller then sees :attr:`signum`.
"""

from __future__ import annotations

import signal
import subprocess
import time
from types import FrameType, TracebackType
from typing import Callable, Optional, Union

__all__ = ["SIGNALS", "Forwarding"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)

_Handler = Union[Callable[[int, Optional[FrameType]], object], int, None]


class Forwarding:
    """``with Forwarding() as forwarding:`` installs the handlers (main thread only) and restores the previous
    ones on leaving, unless ``restore`` is false. The first signal is passed on; a second one (an impatient
    Ctrl-C) kills the child."""

    def __init__(self, restore: bool = True) -> None:
        self._restore = restore
        #: The first signal received, if any.
        self.signum: Optional[int] = None
        self._received_at = 0.0
        self._child: Optional[subprocess.Popen[bytes]] = None
        self._previous: dict[int, _Handler] = {}

    def __enter__(self) -> Forwarding:
        for signum in SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if self._restore:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)

    def attach(self, child: subprocess.Popen[bytes]) -> None:
        """The child to pass signals to; one received while it was being started is passed on now."""
        self._child = child
        if self.signum is not None:
            self._send(self.signum)

    def overdue(self, seconds: float) -> bool:
        """Whether a signal came more than ``seconds`` ago (and the child has had that long to end)."""
        return self.signum is not None and time.monotonic() - self._received_at > seconds

    def _handle(self, signum: int, frame: Optional[FrameType]) -> None:
        if self.signum is not None:
            if self._child is not None:
                self._child.kill()
            return
        self.signum = signum
        self._received_at = time.monotonic()
        self._send(signum)

    def _send(self, signum: int) -> None:
        if self._child is not None:
            self._child.send_signal(signum)  # does nothing once the child has been waited for
