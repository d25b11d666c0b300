"""Run the bad-input matrix as real processes against a source tree and count the passes.

    python -m tests.e2e.bad_input_report [SOURCE_TREE ...]

Each tree (default: this checkout) gets fresh databases of both kinds (a throwaway
PostgreSQL server is started), set up by that tree's own code, so an export of an older
commit (`git archive C | tar -x -C <tree>`) is measured exactly as the current one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.e2e.bad_input_matrix import CASES, CODE, PLANT_ZONE, Case, fill, problems
from tests.support.postgres_server import remove_server, start_server

SET_UP = f"""
import sys
from dataclasses import replace
from dairy_desktop.db.database import open_database
from dairy_desktop.services.actor import make_actor
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.services.register import register_batch
database = open_database(sys.argv[1])
settings = replace(get_plant_settings(database), time_zone={PLANT_ZONE!r})
update_plant_settings(database, settings, make_actor("setup"))
register_batch(database, code={CODE!r}, liters="1000", shelf_life_days=5,
               actor=make_actor("setup").for_action())
database.dispose()
"""


def _env(source: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAIRY_DESKTOP_")}
    env.update(PYTHONPATH=str(source), DAIRY_DESKTOP_HOME=str(home))
    return env


def prepare_home(folder: Path, kind: str | None) -> Path:
    home = Path(tempfile.mkdtemp(dir=folder, prefix="home-"))
    if kind == "log_dir_is_file":
        (home / "logs").write_text("not a folder")
    elif kind == "log_to_full_disk":
        (home / "logs").mkdir()
        (home / "logs" / "dairy-desktop.log").symlink_to("/dev/full")
    return home


def run_case(source: Path, case: Case, places: dict[str, str], scratch: Path) -> list[str]:
    url = fill(case.url, case, places)
    args = [fill(a, case, places) for a in case.args]
    home = prepare_home(scratch, case.home)
    command = [sys.executable, "-m", "dairy_desktop", "--database-url", url, *args]
    done = subprocess.run(
        [os.fsencode(c) for c in command],
        capture_output=True,
        timeout=120,
        env=_env(source, home),
        cwd=scratch,
    )
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    return problems(case, args, url, done.returncode, out, err)


def measure(source: Path, pg_admin: str | None) -> dict[str, list[tuple[Case, list[str]]]]:
    results: dict[str, list[tuple[Case, list[str]]]] = {}
    for kind in ("sqlite", "postgres"):
        if kind == "postgres" and pg_admin is None:
            continue
        scratch = Path(tempfile.mkdtemp(prefix=f"matrix-{kind}-"))
        textfile = scratch / "notes.txt"
        textfile.write_text("this is not a database\n" * 100)
        if kind == "sqlite":
            url = f"sqlite:///{(scratch / 'matrix.sqlite3').as_posix()}"
        else:
            assert pg_admin is not None
            name = f"matrix_{os.getpid()}_{abs(hash(str(source))) % 10_000}"
            admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                connection.execute(text(f"CREATE DATABASE {name}"))
            admin.dispose()
            url = pg_admin.rsplit("/", 1)[0] + f"/{name}"
        home = prepare_home(scratch, None)
        subprocess.run(
            [sys.executable, "-c", SET_UP, url], check=True, env=_env(source, home), cwd=scratch
        )
        database_file = url.removeprefix("sqlite:///")
        places = {
            "url": url,
            "tmp": scratch.as_posix(),
            "textfile": textfile.as_posix(),
            "readonly": f"sqlite:///file:{database_file}?mode=ro&uri=true",
        }
        results[kind] = [
            (case, run_case(source, case, places, scratch)) for case in CASES if kind in case.kinds
        ]
    return results


def main(sources: list[str]) -> int:
    """0 when every case passes in every tree, 1 when any fails."""
    server = start_server()
    failed = False
    try:
        for source in sources or [str(Path(__file__).resolve().parents[2])]:
            results = measure(Path(source), server.url())
            print(f"== {source}")
            for kind, rows in results.items():
                passed = sum(1 for _case, found in rows if not found)
                print(f"{kind}: {passed}/{len(rows)} cases pass")
                for case, found in rows:
                    if found:
                        failed = True
                        print(f"  FAIL {case.name}: {'; '.join(found)}")
    finally:
        remove_server(server)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
