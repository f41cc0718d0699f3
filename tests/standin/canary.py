"""A canary host: a loopback TCP listener that records every connection it receives.

A host the verifier must never contact (not allowed, or the target of a redirect) points
here; ``connections == 0`` at the end of a test proves nothing was sent. It listens on
127.0.0.2 by default (still loopback on Linux), so allowing the stand-in's 127.0.0.1 does
not also allow the canary. ``settle()`` returns once every connection made so far is
counted (instead of sleeping and hoping).
"""
import socket
import threading
from typing import Optional


class Canary:
    def __init__(self, host: str = '127.0.0.2', port: int = 0):
        self.host = host
        self.port: Optional[int] = port or None
        self.connections = 0
        self.received_bytes = 0      # how much was sent to it (the bytes themselves are dropped)
        self._sock: Optional[socket.socket] = None
        self._thread: Optional[threading.Thread] = None
        self._lock = threading.Lock()
        self._settling = set()       # local addresses of settle()'s own connections

    def start(self) -> 'Canary':
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port or 0))
        except OSError:
            if self.port:             # a fixed port (443) needs privileges: let the caller decide
                sock.close()
                raise
            self.host = '127.0.0.1'   # a system without the whole 127/8 on loopback
            sock.bind((self.host, 0))
        sock.listen(64)
        sock.settimeout(0.1)
        self._sock, self.port = sock, sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name=f'canary-{self.port}', daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        sock = self._sock
        while sock is not None and sock.fileno() != -1:
            try:
                client, address = sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                if address in self._settling:
                    self._settling.discard(address)
                else:
                    self.connections += 1
            threading.Thread(target=self._drain, args=(client,), daemon=True).start()

    def _drain(self, client: socket.socket) -> None:
        # Read what arrives (a request with a token would be a leak: only its size is kept),
        # then hang up without answering.
        client.settimeout(0.5)
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                with self._lock:
                    self.received_bytes += len(data)
        except OSError:
            pass
        finally:
            client.close()

    def settle(self) -> None:
        """Return once every connection made to the canary before this call is counted: a
        connection of its own (not counted) goes through the same accept queue, first come
        first served, and is hung up on only after the canary accepted it."""
        with socket.socket() as sock:
            sock.settimeout(5)
            sock.bind((self.host, 0))
            with self._lock:
                self._settling.add(sock.getsockname())
            sock.connect((self.host, self.port))
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(4096):
                pass

    @property
    def url(self) -> str:
        return f'http://{self.host}:{self.port}'

    def stop(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)     # wakes the accept() now (Linux), not at its timeout
            except OSError:
                pass
            sock.close()
        if self._thread is not None:
            self._thread.join(2)

    def __enter__(self) -> 'Canary':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
