"""Learning, inside a stream, that the server is shutting down.

On SIGTERM (or Ctrl-C) uvicorn stops accepting connections, then waits for the open ones
to finish (up to --timeout-graceful-shutdown) and only then runs the lifespan shutdown: too
late for a training stream, which could run for minutes and then be cut. So the app chains
a handler in front of uvicorn's for those signals, at lifespan startup: it raises this
notice, then hands the signal on. Open training streams see the notice within one slice
and end with a last error and done event (reason "shutdown"); the connections then close
and uvicorn exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class ShutdownNotice:
    def __init__(self) -> None:
        self.requested = False
        self._event = asyncio.Event()

    def request(self) -> None:
        self.requested = True
        self._event.set()

    async def sleep(self, seconds: float) -> None:
        """Sleep, or less if shutdown is requested meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)

    @contextlib.contextmanager
    def watching_signals(self) -> Iterator[None]:
        """While open (the app's lifespan), SIGINT and SIGTERM raise the notice first and
        then go to whatever handled them before (uvicorn's Server.handle_exit)."""
        if threading.current_thread() is not threading.main_thread():
            yield  # signals reach the main thread only; nothing to chain onto here
            return
        loop = asyncio.get_running_loop()
        previous = {sig: signal.getsignal(sig) for sig in SIGNALS}

        def handler(signum: int, frame: FrameType | None) -> None:
            self.requested = True  # read by the streams between slices
            loop.call_soon_threadsafe(self._event.set)  # wakes a paced stream's sleep
            _hand_on(previous[signal.Signals(signum)], signum, frame)

        for sig in SIGNALS:
            signal.signal(sig, handler)
        try:
            yield
        finally:
            for sig, before in previous.items():
                if signal.getsignal(sig) is handler:
                    signal.signal(sig, before)


def _hand_on(before: Any, signum: int, frame: FrameType | None) -> None:
    if callable(before):
        before(signum, frame)
    elif before == signal.SIG_DFL:  # nobody was listening: do what the signal does
        signal.signal(signum, signal.SIG_DFL)
        signal.raise_signal(signum)
