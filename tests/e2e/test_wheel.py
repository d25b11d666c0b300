"""The app as `pip install` (not -e) leaves it: built as a wheel, installed into a fresh
virtual environment outside the checkout, run through its console script from an unrelated
folder with a fresh home. The migrations and icons must come from inside the wheel.

The new environment borrows this interpreter's installed dependencies through a .pth file
(PySide6 and friends are not downloaded again); directories named in a .pth file are added
to sys.path but their own .pth files are not run, so the checkout's editable install does
not come along, and the test checks that dairy_desktop is imported from the new environment.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
# What the build reads; copied so the build leaves nothing in the checkout and sees no
# stale build/ folder there (setuptools never removes modules deleted since a last build).
BUILD_INPUTS = ["pyproject.toml", "setup.py", "README.md", "dairy_desktop", "alembic", "resources"]


@dataclass(frozen=True)
class InstalledApp:
    wheel: Path
    python: Path
    console_script: Path
    home: Path
    cwd: Path

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PYTHONPATH", "DAIRY_DESKTOP_DATABASE_URL", "VIRTUAL_ENV"}
        }
        env |= {"DAIRY_DESKTOP_HOME": str(self.home), "QT_QPA_PLATFORM": "offscreen"}
        return subprocess.run(
            [str(self.console_script), *args],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _build_wheel(work: Path) -> Path:
    source = work / "source"
    for name in BUILD_INPUTS:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, source / name)
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("dairy_desktop-*.whl")
    return wheel


def _fresh_environment(folder: Path) -> Path:
    venv.create(folder, with_pip=False)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = [path for path in site.getsitepackages() if Path(path).is_dir()]
    (Path(purelib) / "borrowed_dependencies.pth").write_text(
        "\n".join(borrowed) + "\n", encoding="utf-8"
    )
    return python


@pytest.fixture(scope="module")
def installed_app(tmp_path_factory: pytest.TempPathFactory) -> InstalledApp:
    work = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(work)
    python = _fresh_environment(work / "venv")
    install = ["install", "-q", "--no-deps", str(wheel)]
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), *install],
        check=True,
        timeout=600,
    )
    script = python.parent / ("dairy-desktop.exe" if os.name == "nt" else "dairy-desktop")
    cwd = work / "elsewhere"
    cwd.mkdir()
    return InstalledApp(wheel, python, script, work / "home", cwd)


def test_the_wheel_carries_every_module_and_the_shipped_folders_but_no_dev_script(
    installed_app: InstalledApp,
) -> None:
    names = set(zipfile.ZipFile(installed_app.wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dairy_desktop").rglob("*.py")}
    assert modules - names == set()
    migrations = {p.name for p in (ROOT / "alembic" / "versions").glob("*.py")}
    assert {
        "dairy_desktop/_migrations/env.py",
        "dairy_desktop/_migrations/script.py.mako",
        "dairy_desktop/_resources/app.svg",
        "dairy_desktop/_resources/app.ico",
        *(f"dairy_desktop/_migrations/versions/{name}" for name in migrations),
    } <= names
    assert not any(name.endswith("make_icons.py") for name in names)


def test_the_installed_package_is_imported_not_the_checkout(installed_app: InstalledApp) -> None:
    where = subprocess.run(
        [str(installed_app.python), "-c", FILES_REPORT],
        cwd=installed_app.cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    environment = installed_app.python.parent.parent.resolve()
    assert len(where) == 3
    for path in where:
        assert Path(path).resolve().is_relative_to(environment), path


FILES_REPORT = """
import dairy_desktop
from dairy_desktop.config.package_files import migrations_dir, resources_dir
print(dairy_desktop.__file__, migrations_dir(), resources_dir())
"""


def test_the_console_script_migrates_checks_lists_and_prints(installed_app: InstalledApp) -> None:
    migrated = installed_app.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert (installed_app.home / "data" / "dairy.sqlite3").is_file()

    checked = installed_app.run("self-check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    listed = installed_app.run("batches", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []

    sheet = installed_app.cwd / "x.pdf"
    printed = installed_app.run("print-sheet", "--output", str(sheet))
    assert printed.returncode == 0, printed.stderr
    assert sheet.read_bytes().startswith(b"%PDF-")
