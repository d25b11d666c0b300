"""The PostgreSQL hot-row ceiling: the app's consume as one pgbench transaction.

Shared by the benchmarks that report their throughput next to what the server itself can
do on the same box in the same run.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from dairy_desktop.db.database import open_database
from tests.support.postgres_server import PostgresServer

# The same guarded UPDATE (enough left, not deleted, not expired, version bumped) returning
# the new state, and the audit INSERT that uses it, committed together. pgbench's \gset
# carries RETURNING into the INSERT; in simple query mode ':code' is replaced textually.
PGBENCH_SCRIPT = """\
BEGIN;
UPDATE batches SET remaining_ml = remaining_ml - 1, version = version + 1,
    updated_at = now(), updated_by = 'pgbench', updated_workstation = 'pgbench'
  WHERE code = ':code' AND remaining_ml >= 1 AND deleted_at IS NULL AND expires_at > now()
  RETURNING id AS batch_id, remaining_ml AS remaining, version AS version_after \\gset
INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml, version_after,
    operator, workstation)
  VALUES (now(), :batch_id, 'consume', 1, :remaining, :version_after, 'pgbench', 'pgbench');
{notify}END;
"""
# What the app also sends in that transaction (AuditRepository.add), so the cost of the
# change notification can be told apart from the cost of Python.
NOTIFY_LINE = "SELECT pg_notify('dairy_changes', ':code');\n"


def create_migrated_database(server: PostgresServer, name: str) -> str:
    """A fresh database on the server with the app's schema; returns its URL."""
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        admin.dispose()
    url = server.url(name)
    open_database(url).dispose()  # migrate, as the app does on start
    return url


@dataclass(frozen=True)
class PgbenchResult:
    tps: float
    p50_ms: float  # median transaction latency, from pgbench's per-transaction log


def pgbench_tps(
    server: PostgresServer,
    database: str,
    code: str,
    clients: int,
    seconds: float,
    *,
    notify: bool,
) -> float:
    """pgbench's tps for the equivalent transaction on batch `code` in `database`."""
    return pgbench_run(server, database, code, clients, seconds, notify=notify).tps


def pgbench_run(
    server: PostgresServer,
    database: str,
    code: str,
    clients: int,
    seconds: float,
    *,
    notify: bool,
) -> PgbenchResult:
    """pgbench's tps and median latency for the equivalent transaction on batch `code`."""
    with tempfile.TemporaryDirectory(prefix="dairy-pgbench-") as folder:
        script = Path(folder) / "consume.sql"
        script.write_text(PGBENCH_SCRIPT.format(notify=NOTIFY_LINE if notify else ""))
        result = subprocess.run(
            [
                str(server.bin_dir / "pgbench"),
                *("-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres"),
                "-n",  # no pgbench_* tables to vacuum
                *("-f", str(script), "-D", f"code={code}"),
                *("-c", str(clients), "-j", str(min(2, clients)), "-T", str(int(seconds))),
                # One line per transaction (its latency in µs is the third field).
                "-l",
                f"--log-prefix={Path(folder) / 'latency'}",
                database,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
            cwd=folder,
        )
        latencies = sorted(
            int(line.split()[2])
            for log in Path(folder).glob("latency*")
            for line in log.read_text().splitlines()
            if line.strip()
        )
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    if result.returncode != 0 or tps is None or (failed and int(failed.group(1))) or not latencies:
        raise RuntimeError(f"pgbench failed:\n{result.stdout[-800:]}\n{result.stderr}")
    return PgbenchResult(float(tps.group(1)), statistics.median(latencies) / 1000)
