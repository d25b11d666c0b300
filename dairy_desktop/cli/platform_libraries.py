"""Which system libraries the window's Qt platform plugin (xcb, Linux) cannot find.

When the xcb plugin cannot be loaded, Qt guesses: it blames xcb-cursor0 whatever is really
missing. Asked instead: `ldd` on the plugin itself and on its Qt helper library, whose
"=> not found" lines name every system library the dynamic loader could not find, each
mapped to the package that ships it. Only run once the window failed to start (`ldd` costs
~50 ms, too much for every start), and it never imports Qt, so it also works when Qt's own
libraries are what is missing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Inside the PySide6 package: the platform plugin, its Qt helper library, and the Qt Widgets
# module (whose libraries the window needs before any plugin is loaded).
CHECKED_FILES = (
    "Qt/plugins/platforms/libqxcb.so",
    "Qt/lib/libQt6XcbQpa.so.6",
    "QtWidgets.abi3.so",
)
LDD_TIMEOUT_S = 10.0
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Package:
    debian: str  # also Ubuntu
    fedora: str


# The libraries PySide6's xcb plugin and Qt GUI load from the system (`objdump -p`'s NEEDED
# lines, followed through), with the package shipping each. Debian names as installed on
# Debian 12 and 13.
PACKAGES: dict[str, Package] = {
    "libxcb-icccm.so.4": Package("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": Package("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-cursor.so.0": Package("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-image.so.0": Package("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": Package("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": Package("libxcb-util1", "xcb-util"),
    "libxcb-shape.so.0": Package("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": Package("libxcb-randr0", "libxcb"),
    "libxcb-xfixes.so.0": Package("libxcb-xfixes0", "libxcb"),
    "libxcb-xinerama.so.0": Package("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": Package("libxcb-xinput0", "libxcb"),
    "libxcb-shm.so.0": Package("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": Package("libxcb-sync1", "libxcb"),
    "libxcb-xkb.so.1": Package("libxcb-xkb1", "libxcb"),
    "libxcb-render.so.0": Package("libxcb-render0", "libxcb"),
    "libxcb.so.1": Package("libxcb1", "libxcb"),
    "libX11-xcb.so.1": Package("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": Package("libx11-6", "libX11"),
    "libxkbcommon-x11.so.0": Package("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": Package("libxkbcommon0", "libxkbcommon"),
    "libEGL.so.1": Package("libegl1", "libglvnd-egl"),
    "libGL.so.1": Package("libgl1", "libglvnd-glx"),
    "libGLX.so.0": Package("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": Package("libglvnd0", "libglvnd"),
    "libOpenGL.so.0": Package("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": Package("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": Package("libfreetype6", "freetype"),
    # Debian 13 calls it libglib2.0-0t64, which provides this older name for apt.
    "libglib-2.0.so.0": Package("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": Package("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": Package("libdbus-1-3", "dbus-libs"),
}


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries `ldd` reported "not found", each once, in the order it named them."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def describe_missing(libraries: list[str]) -> str:
    """One line: what is missing and the install command for each distribution family."""
    known = [PACKAGES[name] for name in libraries if name in PACKAGES]
    unknown = [name for name in libraries if name not in PACKAGES]
    line = (
        "the window cannot open: these system libraries are missing: " + ", ".join(libraries) + "."
    )
    if known:
        debian = " ".join(dict.fromkeys(p.debian for p in known))
        fedora = " ".join(dict.fromkeys(p.fedora for p in known))
        line += f" Install them: Debian/Ubuntu: sudo apt install {debian}; "
        line += f"Fedora: sudo dnf install {fedora}"
        line += f" (and find {', '.join(unknown)} for your system)." if unknown else "."
    else:
        line += " Install the packages that provide them."
    return line


def checked_files(pyside_folder: Path | None = None) -> list[Path]:
    """The files of PySide6 to check that exist here (none when PySide6 is not installed)."""
    if pyside_folder is None:
        # find_spec finds the folder without importing PySide6, which may be what fails.
        spec = importlib.util.find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return []
        pyside_folder = Path(next(iter(spec.submodule_search_locations)))
    return [pyside_folder / name for name in CHECKED_FILES if (pyside_folder / name).is_file()]


def run_ldd(files: list[Path]) -> str | None:
    """`ldd`'s report on the files; None when it cannot be run."""
    try:
        result = subprocess.run(
            ["ldd", *map(str, files)],
            capture_output=True,
            text=True,
            timeout=LDD_TIMEOUT_S,
            # "not found" is what is parsed: never a translation of it.
            env={**os.environ, "LC_ALL": "C"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout


def explain_missing_platform_libraries() -> str | None:
    """One line naming the system libraries the window's Qt needs and cannot find, with the
    packages to install; None when nothing is missing (or it cannot be told: not Linux, no
    PySide6, no `ldd`)."""
    if not sys.platform.startswith("linux"):
        return None
    files = checked_files()
    if not files:
        return None
    output = run_ldd(files)
    if output is None:
        return None
    missing = missing_libraries(output)
    return describe_missing(missing) if missing else None
