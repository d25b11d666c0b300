"""A TCP proxy on 127.0.0.1 that can misbehave the way networks do, for one test.

It forwards bytes between the app and a server until its fault fires:
- `silent_after_bytes=N`: after forwarding N bytes from the client, it forwards nothing
  more either way (the connection stays open: a hung network, a frozen server);
- `silent_after_text=b"..."`: the same, right after forwarding the client's chunk
  containing that text (e.g. the SQL of a change: the server runs it, the reply is lost);
- `drop_after_text=b"..."`: after forwarding that chunk it closes both sides at once
  (e.g. b"COMMIT": the commit reaches the server, the reply never reaches the client);
- `drop_before_text=b"..."`: closes both sides instead of forwarding that chunk (the
  change never reaches the server);
- `refuse_after_fault`: once the fault has struck, no new connection is accepted (the
  server has become unreachable).
The fault fires once, on the first connection that meets it; later connections (the app
reconnecting) are forwarded normally, unless `every_connection` is set.
Bounded in time: after `lifetime_s` it closes everything and stops by itself.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class TcpProxy:
    def __init__(
        self,
        target_port: int,
        *,
        target_host: str = "127.0.0.1",
        silent_after_bytes: int | None = None,
        silent_after_text: bytes | None = None,
        drop_after_text: bytes | None = None,
        drop_before_text: bytes | None = None,
        refuse_after_fault: bool = False,
        every_connection: bool = False,
        lifetime_s: float = 60.0,
    ) -> None:
        self._target = (target_host, target_port)
        self._silent_after_bytes = silent_after_bytes
        self._silent_after_text = silent_after_text
        self._drop_after_text = drop_after_text
        self._drop_before_text = drop_before_text
        self._refuse_after_fault = refuse_after_fault
        self._every_connection = every_connection
        self._deadline = time.monotonic() + lifetime_s
        self._lock = threading.Lock()
        self._armed = True
        self._sockets: list[socket.socket] = []
        self._stopped = threading.Event()
        self.fired = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True, name="tcp-proxy")

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def url_for(self, url: str) -> str:
        """`url` (a PostgreSQL URL on 127.0.0.1) re-pointed through this proxy."""
        head, _, tail = url.partition("@")
        _host_port, _, database = tail.partition("/")
        return f"{head}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in [self._listener, *sockets]:
            with contextlib.suppress(OSError):
                sock.close()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(2)

    def _running(self) -> bool:
        return not self._stopped.is_set() and time.monotonic() < self._deadline

    def _accept(self) -> None:
        try:
            while self._running():
                try:
                    client, _ = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                server = socket.create_connection(self._target, timeout=5)
                with self._lock:
                    self._sockets += [client, server]
                    self.connections += 1
                link = _Link(self, client, server)
                threading.Thread(target=link.upstream, daemon=True).start()
                threading.Thread(target=link.downstream, daemon=True).start()
        finally:
            self.stop()

    def _fire(self) -> bool:
        """True for the connection the fault now strikes (only the first, by default)."""
        with self._lock:
            if not self._armed:
                return False
            if not self._every_connection:
                self._armed = False
        self.fired.set()
        if self._refuse_after_fault:
            with contextlib.suppress(OSError):
                self._listener.close()
        return True


class _Link:
    """One client connection and its server connection, pumped in both directions."""

    def __init__(self, proxy: TcpProxy, client: socket.socket, server: socket.socket) -> None:
        self._proxy = proxy
        self._client = client
        self._server = server
        self._silent = False
        self._sent = 0
        self._server_gone = threading.Event()
        for sock in (client, server):
            sock.settimeout(0.2)

    def _close(self) -> None:
        for sock in (self._client, self._server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _receive(self, sock: socket.socket) -> bytes | None:
        """The next chunk, b"" at the end, None when nothing came within the poll interval."""
        try:
            return sock.recv(65536)
        except TimeoutError:
            return None
        except OSError:
            return b""

    def upstream(self) -> None:
        proxy = self._proxy
        while proxy._running():
            chunk = self._receive(self._client)
            if chunk is None:
                continue
            if not chunk:
                if self._silent:
                    # A vanished client never says goodbye: the server side stays open
                    # until the server's own limits end it (or the proxy's lifetime does).
                    while proxy._running() and not self._server_gone.is_set():
                        time.sleep(0.05)
                break
            if self._silent:
                continue  # read and dropped: the client's bytes go nowhere
            if (
                proxy._drop_before_text is not None
                and proxy._drop_before_text in chunk
                and proxy._fire()
            ):
                break
            with contextlib.suppress(OSError):
                self._server.sendall(chunk)
            self._sent += len(chunk)
            limit = proxy._silent_after_bytes
            if (limit is not None and self._sent >= limit) or (
                proxy._silent_after_text is not None and proxy._silent_after_text in chunk
            ):
                if proxy._fire():
                    self._silent = True
            elif (
                proxy._drop_after_text is not None
                and proxy._drop_after_text in chunk
                and proxy._fire()
            ):
                # The reply is lost: nothing more goes back; the forwarded chunk is given a
                # moment to reach the server before the connection goes.
                self._silent = True
                time.sleep(0.2)
                break
        self._close()

    def downstream(self) -> None:
        while self._proxy._running():
            chunk = self._receive(self._server)
            if chunk is None:
                continue
            if not chunk:
                self._server_gone.set()
                break
            if self._silent:
                continue
            try:
                self._client.sendall(chunk)
            except OSError:
                break
        self._close()
