"""A window that cannot start names the system libraries really missing, in one line."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dairy_desktop import __main__ as entry
from dairy_desktop.cli import platform_libraries
from dairy_desktop.cli.exit_codes import EXIT_FAILED
from dairy_desktop.cli.platform_libraries import (
    PACKAGES,
    checked_files,
    describe_missing,
    explain_missing_platform_libraries,
    missing_libraries,
    run_ldd,
)

# `ldd libqxcb.so libQt6XcbQpa.so.6` on a Debian 13 without libxcb-icccm4 and libxcb-keysyms1
# (where Qt itself blamed xcb-cursor0, which was installed), shortened.
SITE = "/home/ann/.venv/lib/python3.13/site-packages/PySide6/Qt"
LDD_TWO_MISSING = textwrap.dedent(f"""\
    {SITE}/plugins/platforms/libqxcb.so:
    \tlinux-vdso.so.1 (0x00007f0468aa6000)
    \tlibQt6XcbQpa.so.6 => {SITE}/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f04689d8000)
    \tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f0468948000)
    \tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f046893b000)
    \tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0468934000)
    \tlibxcb-icccm.so.4 => not found
    \tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f046892c000)
    \tlibxcb-keysyms.so.1 => not found
    \tlibxcb-icccm.so.4 => not found
    \tlibxcb-keysyms.so.1 => not found
    \t/lib64/ld-linux-x86-64.so.2 (0x00007f0468aa8000)
    {SITE}/lib/libQt6XcbQpa.so.6:
    \tlinux-vdso.so.1 (0x00007ffd2b1f5000)
    \tlibxcb-icccm.so.4 => not found
    \tlibxcb-keysyms.so.1 => not found
    """)
TWO_MISSING_LINE = (
    "the window cannot open: these system libraries are missing: libxcb-icccm.so.4, "
    "libxcb-keysyms.so.1. Install them: Debian/Ubuntu: sudo apt install libxcb-icccm4 "
    "libxcb-keysyms1; Fedora: sudo dnf install xcb-util-wm xcb-util-keysyms."
)


def test_the_not_found_lines_name_each_missing_library_once_in_order() -> None:
    assert missing_libraries(LDD_TWO_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert missing_libraries(LDD_TWO_MISSING.replace("=> not found", "=> /lib/x.so (0x1)")) == []


def test_the_line_names_the_packages_of_each_distribution_family() -> None:
    assert describe_missing(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]) == TWO_MISSING_LINE
    # Libraries of one package are installed with it once.
    assert describe_missing(["libxcb-shape.so.0", "libxcb-randr.so.0"]).endswith(
        "sudo apt install libxcb-shape0 libxcb-randr0; Fedora: sudo dnf install libxcb."
    )


def test_a_library_without_a_known_package_is_still_named() -> None:
    line = describe_missing(["libxcb-cursor.so.0", "libfrob.so.2"])
    assert "missing: libxcb-cursor.so.0, libfrob.so.2." in line
    assert "apt install libxcb-cursor0;" in line
    assert "dnf install xcb-util-cursor (and find libfrob.so.2 for your system)." in line
    assert describe_missing(["libfrob.so.2"]).endswith(
        "missing: libfrob.so.2. Install the packages that provide them."
    )


def test_the_named_libraries_from_the_brief_map_to_their_packages() -> None:
    assert {
        name: (PACKAGES[name].debian, PACKAGES[name].fedora)
        for name in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0")
    } == {
        "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
        "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
        "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    }


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux's")
def test_on_this_machine_every_display_library_the_plugin_loads_has_a_package() -> None:
    output = run_ldd(checked_files())
    assert output is not None
    loaded = {
        line.split()[0] for line in output.splitlines() if "=> /" in line and "PySide6" not in line
    }
    display = {n for n in loaded if n.startswith(("libxcb", "libX11", "libxkb", "libEGL", "libGL"))}
    assert "libxcb-icccm.so.4" in display
    assert display - set(PACKAGES) == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd and xcb are Linux's")
def test_on_this_machine_nothing_is_missing() -> None:
    assert len(checked_files()) == 3
    assert explain_missing_platform_libraries() is None


def test_a_missing_library_reported_by_ldd_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(platform_libraries, "checked_files", lambda: [Path("libqxcb.so")])
    monkeypatch.setattr(platform_libraries, "run_ldd", lambda files: LDD_TWO_MISSING)
    assert explain_missing_platform_libraries() == TWO_MISSING_LINE
    monkeypatch.setattr(sys, "platform", "win32")
    assert explain_missing_platform_libraries() is None


def test_no_ldd_or_no_pyside_means_no_explanation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert run_ldd([tmp_path / "libqxcb.so"]) is None
    assert checked_files(tmp_path) == []
    (tmp_path / "QtWidgets.abi3.so").touch()
    assert checked_files(tmp_path) == [tmp_path / "QtWidgets.abi3.so"]


@pytest.fixture
def explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """The launcher's explanation with a known answer, and its process exit caught."""

    def exit_now(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(platform_libraries, "explain_missing_platform_libraries", lambda: "libs!")
    monkeypatch.setattr(os, "_exit", exit_now)


def test_the_launcher_prints_the_one_line_and_exits_failed(
    explained: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        entry._explain_missing_libraries()
    assert stopped.value.code == EXIT_FAILED
    assert capsys.readouterr().err == "dairy-desktop: libs!\n"


class _QtLibraryMissing:
    """An import of the window that fails as Qt's does when a system library is missing."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "dairy_desktop.ui.app":
            raise ImportError("libEGL.so.1: cannot open shared object file: No such file")


def test_qt_failing_to_import_for_a_missing_library_is_explained_too(
    explained: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "dairy_desktop.ui.app", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_QtLibraryMissing(), *sys.meta_path])
    with pytest.raises(SystemExit) as stopped:
        entry._open_window(argparse.Namespace())
    assert stopped.value.code == EXIT_FAILED
    assert capsys.readouterr().err == "dairy-desktop: libs!\n"


def _start(platform: str, callback: str) -> subprocess.CompletedProcess[str]:
    """start_application in a process of its own: a failed platform ends the process."""
    code = textwrap.dedent(f"""\
        import os, sys
        from dairy_desktop.ui.startup_probe import start_application
        def platform_failed():
            {callback}
        app = start_application(["probe"], platform_failed)
        print("started", type(app).__name__)
        """)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": platform},
    )


def test_a_platform_that_fails_reaches_the_callback_before_qt_says_anything() -> None:
    result = _start("nosuchplatform", 'print("explained"); sys.stdout.flush(); os._exit(3)')
    assert (result.returncode, result.stdout, result.stderr) == (3, "explained\n", "")


def test_without_an_explanation_qt_reports_its_failure_as_always() -> None:
    result = _start("nosuchplatform", "pass")
    assert result.returncode != 0
    assert result.stdout == ""
    assert 'Could not find the Qt platform plugin "nosuchplatform"' in result.stderr
    assert "no Qt platform plugin could be initialized" in result.stderr


def test_a_good_start_returns_the_application() -> None:
    result = _start("offscreen", 'print("explained")')
    assert (result.returncode, result.stdout) == (0, "started QApplication\n")
