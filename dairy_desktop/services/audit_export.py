"""The audit trail (or a filtered part of it) as a CSV file that Excel opens correctly.

Streamed page by page, so a million-event trail never sits in memory; written to a temporary
file next to the target and renamed at the end, so a failure or a cancel leaves no half file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dairy_desktop.domain.errors import DairyError
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.file_replace import replacing
from dairy_desktop.services.ports import Database
from dairy_desktop.services.serialize import AUDIT_KEYS, event_to_dict
from dairy_desktop.services.session import AppSession

PAGE_SIZE = 2000
COLUMNS = AUDIT_KEYS  # the JSON contract's keys, in its order
# Typed text starting with one of these would run as a formula in Excel (CSV injection),
# so such values get a leading apostrophe, which Excel shows as plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FREE_TEXT = ("batch_code", "order_id", "operator", "workstation", "reason")

Progress = Callable[[int], object]
"""Called with the rows written so far after each page; returning False cancels the export."""


class ExportCancelled(DairyError):
    pass


def export_audit_csv(
    source: Database | AppSession,
    audit_filter: AuditFilter,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    *,
    page_size: int = PAGE_SIZE,
) -> int:
    """Write the events matching `audit_filter`, newest first as on screen; return the count."""
    database = source.database if isinstance(source, AppSession) else source
    with replacing(Path(path)) as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, extrasaction="raise")
        writer.writeheader()
        return _write_pages(writer, database, audit_filter, progress, page_size)


def _write_pages(
    writer: csv.DictWriter[str],
    database: Database,
    audit_filter: AuditFilter,
    progress: Progress | None,
    page_size: int,
) -> int:
    written, before_id = 0, None
    while True:
        page = list_audit(
            database, audit_filter, limit=page_size, before_id=before_id, newest_first=True
        )
        writer.writerows(_csv_row(event_to_dict(event)) for event in page)
        written += len(page)
        if progress is not None and progress(written) is False:
            raise ExportCancelled(f"Export cancelled after {written:,} rows; nothing was saved.")
        if len(page) < page_size:
            return written
        before_id = page[-1].id


def formula_guarded(value: object) -> object:
    """`value` as a spreadsheet cell may safely hold it: text that Excel would run as a
    formula gets a leading apostrophe; anything else is returned as it is. Every CSV the
    product writes guards its typed text with this."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_row(values: dict[str, Any]) -> dict[str, Any]:
    row = {key: "" if value is None else value for key, value in values.items()}
    for key in _FREE_TEXT:
        row[key] = formula_guarded(row[key])
    return row
