"""Where the files shipped beside the code are: the Alembic migrations and the app icons.

An installed wheel and the packaged app carry them inside the package, as
dairy_desktop/_migrations and dairy_desktop/_resources (pyproject.toml, build.spec). A source
checkout, editable installs included, keeps them at the top of the repository, beside the
package: alembic/ and resources/. Both are found from the package's own location as
importlib.resources reports it (in the packaged app that is inside sys._MEIPASS).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def migrations_dir() -> Path:
    """The folder holding Alembic's env.py and versions/."""
    return _shipped_folder(inside_package="_migrations", in_checkout="alembic", marker="env.py")


def resources_dir() -> Path:
    """The folder holding the app icons."""
    return _shipped_folder(inside_package="_resources", in_checkout="resources", marker="app.svg")


def _shipped_folder(*, inside_package: str, in_checkout: str, marker: str) -> Path:
    package = files("dairy_desktop")
    if not isinstance(package, Path):
        raise FileNotFoundError(f"dairy_desktop is not on the file system ({package!r})")
    # The marker tells ours apart from a same-named folder: beside an installed package,
    # site-packages/alembic is the Alembic library itself.
    candidates = [package / inside_package, package.parent / in_checkout]
    for candidate in candidates:
        if (candidate / marker).is_file():
            return candidate
    raise FileNotFoundError(
        f"{in_checkout}/ not found in {' or '.join(map(str, candidates))}: a broken install?"
    )
