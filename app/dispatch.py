"""Several workers, one port: the supervisor accepts each connection and hands it to the
worker with the fewest open connections (`backprop-viz --workers N`, N > 1).

Why not uvicorn's own `--workers`: its workers share one listening socket and race for
`accept`, and an idle worker's event loop takes every connection waiting at once, so a class
of 100 streams split between two workers anywhere from 0/100 to 64/36, and the busier one
set the end (docs/benchmarks.md: 1.3 to 2.0 × the CPU floor). Per-worker sockets with
SO_REUSEPORT let the kernel hash connections over the workers: even on average, but 100
connections then split binomially (a 60/40 split or worse one time in twenty). Here the
split is even by construction, as through nginx's round robin, without a second program:

- the supervisor (uvicorn's Multiprocess: signals, health checks, restarts) binds the
  port and runs `Dispatcher` in a thread; each worker, once its lifespan has started,
  connects to the dispatcher's Unix socket (its link), in a directory of mkdtemp's (mode
  0700: no other user can link and be handed connections);
- the dispatcher accepts a connection, sends its descriptor down the link of the worker
  holding the fewest open connections (SCM_RIGHTS), and closes its own copy;
- the worker (`DispatchedServer`) serves it as if it had accepted it (the same protocol
  uvicorn builds) and sends one byte up its link when it closes, so the count is exact.

A worker's load is its open connections, each stream being one; an idle keep-alive
connection counts as much as a training stream (the dispatcher sees connections, not
requests). A worker that dies takes its link down and with it its share; its replacement
connects when it is ready. On SIGTERM the dispatcher stops first (connections still waiting
are refused), then each worker drains as before (app/ops/shutdown.py).

It leans on uvicorn's internals (Multiprocess and its Process, Server.startup and shutdown,
Config.http_protocol_class, the protocols' server_state): tests/api/test_ops_workers.py
runs it under the real CLI and fails if an upgrade moves them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import selectors
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any

from uvicorn import Config, Server
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")

CLOSED = b"-"  # worker → dispatcher: one of my connections closed
HANDED = b"c"  # dispatcher → worker: the byte that carries a descriptor
SEND_TIMEOUT = 5.0  # a link that takes no descriptor for this long is a stuck worker


class _Link:
    """The dispatcher's end of one worker's link, and that worker's open connections."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.open = 0


class Dispatcher:
    """Accepts on `listener` and hands each connection to the least-loaded worker linked
    at `hub_path`. Runs in a thread of the supervisor until stop()."""

    def __init__(self, listener: socket.socket, hub_path: str, backlog: int) -> None:
        self.listener = listener
        self.hub = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.hub.bind(hub_path)
        self.hub.listen()
        self.listener.listen(backlog)
        self.listener.setblocking(False)
        self.links: list[_Link] = []
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting (connections waiting in the backlog are refused) and unlink."""
        if not self._thread.is_alive():
            return
        self._stopping = True
        self._wake_w.send(b"x")
        self._thread.join()

    def _run(self) -> None:
        sel = self._selector
        sel.register(self.hub, selectors.EVENT_READ, "hub")
        sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self._stopping:
                for key, _ in sel.select():
                    if key.data == "hub":
                        self._link_worker()
                    elif key.data == "listener":
                        self._dispatch()
                    elif key.data in self.links:  # not unlinked earlier in this round
                        self._read_link(key.data)
        except Exception:
            logger.exception("the dispatcher failed; no new connection will be served")
            raise
        finally:
            for link in self.links:
                link.sock.close()
            sel.close()
            for sock in (self.hub, self.listener, self._wake_r, self._wake_w):
                sock.close()

    def _link_worker(self) -> None:
        sock, _ = self.hub.accept()
        sock.settimeout(SEND_TIMEOUT)
        link = _Link(sock)
        self.links.append(link)
        self._selector.register(sock, selectors.EVENT_READ, link)
        if len(self.links) == 1:  # accept only while some worker can take the connection
            self._selector.register(self.listener, selectors.EVENT_READ, "listener")

    def _unlink(self, link: _Link) -> None:
        self._selector.unregister(link.sock)
        link.sock.close()
        self.links.remove(link)
        if not self.links:
            self._selector.unregister(self.listener)

    def _read_link(self, link: _Link) -> None:
        try:
            data = link.sock.recv(4096)
        except OSError:
            data = b""
        if not data:  # the worker has gone: its connections went with it
            self._unlink(link)
            return
        link.open -= data.count(CLOSED)

    def _dispatch(self) -> None:
        # A bounded batch, so that close reports are read between batches of a burst.
        for _ in range(64):
            if not self.links:
                return
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. out of descriptors: the next round may do better
                logger.warning("dispatcher: accept failed: %s", exc)
                return
            with conn:
                while self.links:
                    link = min(self.links, key=lambda lk: lk.open)
                    try:
                        socket.send_fds(link.sock, [HANDED], [conn.fileno()])
                    except OSError:
                        self._unlink(link)  # gone or stuck: try the next one
                        continue
                    link.open += 1
                    break


class DispatchedServer(Server):
    """A uvicorn worker that listens on nothing and serves the connections the dispatcher
    hands it, as its own listener would have."""

    def __init__(self, config: Config, hub_path: str) -> None:
        super().__init__(config)
        self.hub_path = hub_path
        self._link: socket.socket | None = None
        self._starting: set[asyncio.Task[None]] = set()
        self._create_protocol: Any = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the lifespan; no listener of its own
        if self.should_exit:
            return
        self._create_protocol = self._protocol()
        link = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        link.connect(self.hub_path)
        link.setblocking(False)
        self._link = link
        asyncio.get_running_loop().add_reader(link.fileno(), self._receive)

    def _protocol(self) -> Any:
        config, closed = self.config, self._closed

        class Counted(config.http_protocol_class):  # type: ignore[name-defined,misc]
            def connection_lost(self, exc: Exception | None) -> None:
                try:
                    super().connection_lost(exc)
                finally:
                    closed()

        def create_protocol(_loop: asyncio.AbstractEventLoop | None = None) -> Any:
            return Counted(
                config=config,
                server_state=self.server_state,
                app_state=self.lifespan.state,
                _loop=_loop,
            )

        return create_protocol

    def _receive(self) -> None:
        assert self._link is not None
        try:
            data, fds, _, _ = socket.recv_fds(self._link, 256, 256)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, fds = b"", []
        if not data:  # the supervisor has gone: nothing more will come
            self._unlink()
            self.should_exit = True
            return
        for fd in fds:
            task = asyncio.ensure_future(self._serve_handed(socket.socket(fileno=fd)))
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)

    async def _serve_handed(self, sock: socket.socket) -> None:
        try:
            sock.setblocking(False)
            await asyncio.get_running_loop().connect_accepted_socket(
                self._create_protocol, sock, ssl=self.config.ssl
            )
        except Exception as exc:  # the client left before it began: count it closed
            logger.debug("a handed connection failed to start: %s", exc)
            sock.close()
            self._closed()

    def _closed(self) -> None:
        if self._link is not None:
            with contextlib.suppress(OSError):
                self._link.send(CLOSED)

    def _unlink(self) -> None:
        if self._link is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._link.fileno())
            self._link.close()
            self._link = None

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._unlink()
        await super().shutdown(sockets=sockets)


class _Worker(Process):
    """uvicorn's worker process, running a DispatchedServer."""

    def __init__(self, config: Config, hub_path: str) -> None:
        self.hub_path = hub_path
        super().__init__(config, [])

    @property
    def server(self) -> Server:
        if self._server is None:
            self._server = DispatchedServer(self.config, self.hub_path)
        return self._server


class DispatchingSupervisor(Multiprocess):
    """uvicorn's supervisor (signals, health checks, restarts of dead workers) with the
    dispatcher in front of its workers."""

    def __init__(self, config: Config, listener: socket.socket, hub_path: str) -> None:
        super().__init__(config, [])
        self.hub_path = hub_path
        self.dispatcher = Dispatcher(listener, hub_path, config.backlog)

    def _new_worker(self) -> _Worker:
        worker = _Worker(self.config, self.hub_path)
        worker.start()
        return worker

    def init_processes(self) -> None:
        self.dispatcher.start()
        for _ in range(self.processes_num):
            self.processes.append(self._new_worker())

    def terminate_all(self) -> None:
        self.dispatcher.stop()  # no new connection reaches a worker that is draining
        super().terminate_all()

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # a restart would fail alike
                logger.error(f"Child process [{process.pid}] failed to start, stopping.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            self.processes[idx] = self._new_worker()

    # uvicorn's SIGHUP, SIGTTIN and SIGTTOU make workers of its own kind: not with these.
    def handle_hup(self) -> None:
        logger.warning("Received SIGHUP: restarting workers is not supported with the dispatcher")

    def handle_ttin(self) -> None:
        logger.warning("Received SIGTTIN: adding workers is not supported with the dispatcher")

    def handle_ttou(self) -> None:
        logger.warning("Received SIGTTOU: removing workers is not supported with the dispatcher")


def run(config: Config) -> None:
    """Serve config.app with config.workers dispatched workers (config.workers > 1)."""
    listener = config.bind_socket()
    hubs = Path(tempfile.mkdtemp(prefix="backprop-viz-dispatch-"))
    try:
        DispatchingSupervisor(config, listener, str(hubs / "hub")).run()
    finally:
        listener.close()
        shutil.rmtree(hubs, ignore_errors=True)
        if config.uds and os.path.exists(config.uds):
            os.remove(config.uds)
