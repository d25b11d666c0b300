"""Write a PDF all or nothing: into a temporary file that replaces `path` only on success."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QIODevice, QSaveFile
from PySide6.QtGui import QPageLayout, QPdfWriter

T = TypeVar("T")
PDF_RESOLUTION_DPI = 1200
CREATOR = "Dairy Desktop"


def write_pdf(
    path: str | Path, layout: QPageLayout, title: str, paint: Callable[[QPdfWriter], T]
) -> T:
    """Run `paint` on a PDF writer for `path`; leave no file (or half a file) if it fails.

    QSaveFile writes next to the target and renames over it on commit(), so a reader never
    sees a partial PDF and an old file survives a failed overwrite.
    """
    target = Path(path)
    saver = QSaveFile(str(target))
    if not saver.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"Cannot write {target}: {saver.errorString()}.")
    try:
        writer = QPdfWriter(saver)
        writer.setResolution(PDF_RESOLUTION_DPI)
        writer.setCreator(CREATOR)
        writer.setTitle(title)
        if not writer.setPageLayout(layout):
            raise ValueError(f"The page layout {layout.pageSize().name()} cannot be used.")
        result = paint(writer)
        # The writer must be gone before the file is committed: it still refers to it.
        del writer
        if not saver.commit():
            raise OSError(
                f"Cannot finish {target}: {saver.errorString()} (is it open in a PDF viewer?)."
            )
    except BaseException:
        saver.cancelWriting()
        # commit() after cancelWriting() deletes the temporary file now, not at garbage
        # collection (the traceback keeps `saver` alive).
        saver.commit()
        raise
    return result
