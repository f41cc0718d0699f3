"""A real redis-server process for the stand-in: loopback only, no persistence, ACLs on.

The ``default`` user is switched off, so every connection must authenticate as a named
ACL user, exactly as every Upstash REST token maps to a server-side user.
"""
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional
from typing import Tuple

import redis

ADMIN_USER = 'standin-admin'
DATABASES = 1024          # one logical database per stand-in database, plus one for service state
START_TIMEOUT = 10.0


MINIMUM_VERSION = (7, 0)


def redis_server_version(executable: str) -> Tuple[int, ...]:
    """(7, 0, 15) from `redis-server --version` ('Redis server v=7.0.15 sha=...')."""
    output = subprocess.run([executable, '--version'], capture_output=True, text=True, timeout=10).stdout
    match = re.search(r'v=(\d+)\.(\d+)(?:\.(\d+))?', output)
    if not match:
        raise RuntimeError(f'cannot tell the version of {executable}: {output.strip()[:200]!r}')
    return tuple(int(part) for part in match.groups('0'))


def free_port(host: str = '127.0.0.1') -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class RedisServer:
    """``RedisServer(tmp_dir).start()`` ... ``.stop()``; ``.port``; ``.admin()``."""

    def __init__(self, tmp_dir: os.PathLike, executable: Optional[str] = None):
        self.dir = Path(tmp_dir)
        self.executable = executable or shutil.which('redis-server') or '/usr/bin/redis-server'
        self.host = '127.0.0.1'
        self.port: Optional[int] = None
        self.admin_password = secrets.token_hex(16)
        self.databases = DATABASES
        self._process: Optional[subprocess.Popen] = None

    def start(self) -> 'RedisServer':
        if not os.path.exists(self.executable):
            raise RuntimeError(
                'redis-server is not installed; scripts/test.sh installs it (apt-get install redis-server)')
        version = redis_server_version(self.executable)
        if version < MINIMUM_VERSION:
            raise RuntimeError(f'redis-server {".".join(map(str, version))} is too old: the stand-in needs '
                               f'{".".join(map(str, MINIMUM_VERSION))}+ (ACL channel rules, ACL DRYRUN)')
        self.dir.mkdir(parents=True, exist_ok=True)
        last_error = ''
        for _ in range(3):       # a free port can be taken between probing and binding: retry
            port = free_port(self.host)
            config = self.dir / f'redis-{port}.conf'
            config.write_text('\n'.join([
                f'port {port}', f'bind {self.host}', 'protected-mode yes', 'save ""',
                'appendonly no', f'dir {self.dir}', f'databases {self.databases}',
                'daemonize no', 'loglevel warning', f'logfile {self.dir / f"redis-{port}.log"}',
                'user default off',
                f'user {ADMIN_USER} on >{self.admin_password} ~* &* +@all',
            ]) + '\n')
            self._process = subprocess.Popen([self.executable, str(config)],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            self.port = port
            if self._wait_ready():
                return self
            last_error = self._stop_process()
        raise RuntimeError(f'redis-server did not start: {last_error.strip()[-500:]}')

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                with self.admin() as client:
                    if client.ping():
                        return True
            except redis.RedisError:
                time.sleep(0.05)
        return False

    def _stop_process(self) -> str:
        process, self._process = self._process, None
        if process is None:
            return ''
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        stderr = process.stderr.read().decode('utf-8', 'replace') if process.stderr else ''
        if process.stderr:
            process.stderr.close()
        return stderr

    def stop(self) -> None:
        self._stop_process()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def admin(self, db: int = 0) -> redis.Redis:
        """A redis-py client with every permission (test set-up and assertions only)."""
        return redis.Redis(host=self.host, port=self.port, db=db, username=ADMIN_USER,
                           password=self.admin_password, socket_timeout=10, socket_connect_timeout=5)

    def __enter__(self) -> 'RedisServer':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
