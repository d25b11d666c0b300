"""Write a spreadsheet file whole or not at all.

Every CSV the product writes (the audit export, the trace and recall lists, the
consumption report) goes to a temporary file beside the target, renamed over it once
complete: a failure midway (a full disk, a cancelled export, a bug) leaves no half file,
and an older file of that name as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from dairy_desktop.domain.errors import DairyError


class ExportFailed(DairyError):
    pass


def _cannot_create(target: Path, error: OSError) -> DairyError:
    return ExportFailed(
        f"Cannot write in {target.parent}: {error.strerror or error}. Choose another folder."
    )


@contextlib.contextmanager
def replacing(
    target: Path,
    *,
    cannot_create: Callable[[Path, OSError], DairyError] = _cannot_create,
) -> Iterator[TextIO]:
    """A text file to write the whole of `target` into: UTF-8 with a BOM (which tells Excel
    it is UTF-8, so names like Zoë stay readable), CSV newlines left to the csv module.
    Renamed into place when the block ends; removed if it raises, an OSError reported as
    ExportFailed. `cannot_create` says why no file could be made in the folder at all."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    except OSError as error:
        raise cannot_create(target, error) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as file:
            yield file
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise ExportFailed(
                f"Could not write {target}: {error.strerror or error}. Nothing was saved."
            ) from error
        raise
