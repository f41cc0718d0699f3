"""A minimal RESP2 client for the stand-in's forwarding path.

redis-py parses replies for its own users (it strips error prefixes such as ``ERR`` and
cannot tell a status reply from a bulk string); the REST stand-in must hand back exactly
what Redis said, so it speaks the wire protocol itself. One connection per REST request,
authenticated as the token's ACL user: every request is a real Redis AUTH + ACL decision.
"""
import socket
from typing import List, Sequence, Union


class Status(str):
    """A RESP simple-string reply (``+OK``), as opposed to a bulk string."""


class ReplyError(Exception):
    """A RESP error reply; ``str()`` is the full text Redis sent, prefix included."""

    @property
    def code(self) -> str:
        return str(self).split(' ', 1)[0]


class AuthFailed(Exception):
    """Redis refused the username/password pair (user deleted, disabled or wrong password)."""


Reply = Union[None, int, bytes, Status, ReplyError, List['Reply']]


def encode_command(args: Sequence[bytes]) -> bytes:
    parts = [b'*%d\r\n' % len(args)]
    for arg in args:
        parts.append(b'$%d\r\n%s\r\n' % (len(arg), arg))
    return b''.join(parts)


class Connection:
    """One authenticated connection to one logical database, as one ACL user."""

    def __init__(self, port: int, username: str, password: str, db: int = 0,
                 host: str = '127.0.0.1', timeout: float = 10.0):
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._file = self._sock.makefile('rb')
        try:
            reply = self.execute([b'AUTH', username.encode(), password.encode()])
            if isinstance(reply, ReplyError):
                raise AuthFailed(str(reply))
            if db:
                reply = self.execute([b'SELECT', str(db).encode()])
                if isinstance(reply, ReplyError):
                    raise ReplyError(str(reply))
        except BaseException:
            self.close()
            raise

    def send(self, args: Sequence[bytes]) -> None:
        self._sock.sendall(encode_command(args))

    def read(self) -> Reply:
        line = self._file.readline()
        if not line.endswith(b'\r\n'):
            raise ConnectionError('redis closed the connection')
        kind, body = line[:1], line[1:-2]
        if kind == b'+':
            return Status(body.decode('utf-8', 'replace'))
        if kind == b'-':
            return ReplyError(body.decode('utf-8', 'replace'))
        if kind == b':':
            return int(body)
        if kind == b'$':
            length = int(body)
            if length < 0:
                return None
            data = self._file.read(length + 2)
            if len(data) != length + 2:
                raise ConnectionError('redis closed the connection')
            return data[:-2]
        if kind == b'*':
            count = int(body)
            if count < 0:
                return None
            return [self.read() for _ in range(count)]
        raise ConnectionError(f'unexpected RESP reply type {kind!r}')

    def execute(self, args: Sequence[bytes]) -> Reply:
        self.send(args)
        return self.read()

    def close(self) -> None:
        for closer in (self._file.close, self._sock.close):
            try:
                closer()
            except OSError:
                pass

    def __enter__(self) -> 'Connection':
        return self

    def __exit__(self, *exc) -> None:
        self.close()

