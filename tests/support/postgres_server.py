"""A throwaway PostgreSQL server for the test suite: own data directory, 127.0.0.1 only.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user.
Each pytest-xdist worker starts its own server (own folder, own free port).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_bin_dir() -> Path | None:
    explicit = os.environ.get("DAIRY_TEST_POSTGRES_BIN")
    candidates = [explicit] if explicit else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scratch_parent() -> str | None:
    """RAM-backed /dev/shm when there is one: every test copies a template database, and on a
    busy disk that copy alone took 0.05-0.7 s (it is 20-50 ms in RAM). None: the usual temp."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return str(shm)
    return None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *command]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_server_user([str(self.bin_dir / args[0]), *args[1:]]),
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c max_connections=200 -c shared_buffers=64MB"
            # The data folder may be in RAM (/dev/shm): checkpoint often enough that the WAL of
            # hundreds of database copies stays small.
            " -c max_wal_size=128MB -c min_wal_size=32MB"
        )
        log = self.root / "server.log"
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr}\n{tail}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()


def start_server() -> PostgresServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("no PostgreSQL binaries (pg_ctl) found")
    root = Path(tempfile.mkdtemp(prefix="dairy-pg-", dir=scratch_parent()))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PostgresServer(bin_dir, root, free_port())
    init = server._run(
        "initdb",
        "-D",
        str(server.data_dir),
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
        check=False,
    )
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()}")
    _start_on_a_free_port(server)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return server
        time.sleep(0.1)
    raise PostgresUnavailable("server did not start listening")


def _start_on_a_free_port(server: PostgresServer, attempts: int = 3) -> None:
    """Parallel workers each pick a free port; should two pick the same one, the loser's start
    fails, and it tries again on another port."""
    for attempt in range(attempts):
        try:
            server.start()
            return
        except PostgresUnavailable:
            if attempt == attempts - 1:
                shutil.rmtree(server.root, ignore_errors=True)
                raise
            server.port = free_port()


def remove_server(server: PostgresServer) -> None:
    server.stop("immediate")
    shutil.rmtree(server.root, ignore_errors=True)
