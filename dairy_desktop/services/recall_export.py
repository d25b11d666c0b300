"""The recall list: `trace recall CODE --csv FILE`, the sortable spreadsheet FSMA 204 asks
for within 24 hours, one row per use of the batch's milk.

A use is a consume that stands: a reversed consume put all of its litres back (a reversal
always undoes a whole consume), so it is left out. Dates are the plant's local time with
its UTC offset ("2025-12-04 06:30 +01:00"), so the sheet reads the same wherever it is
opened. Typed text (supplier, tanker, order) is formula-guarded as in the audit export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.plant_settings import get_plant_settings
from dairy_desktop.services.ports import Database
from dairy_desktop.services.trace import trace_batch
from dairy_desktop.services.trace_csv import check_csv_target, write_csv_atomically
from dairy_desktop.services.trace_facts import BatchTrace

RECALL_COLUMNS = (
    "Traceability lot code",
    "Quantity",
    "Unit of measure",
    "Product description",
    "Location",
    "Date received",
    "Source",
    "Reference document",
    "Order id",
    "Litres used",
    "Date used",
)
UNIT_OF_MEASURE = "L"


@dataclass(frozen=True, slots=True)
class RecallExport:
    path: Path
    rows: int
    trace: BatchTrace


def plant_time(moment: datetime, zone: tzinfo) -> str:
    """'2025-12-04 06:30 +01:00': the plant's wall clock, and the offset that places it."""
    local = moment.astimezone(zone)
    offset = local.strftime("%z")  # +0100
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def recall_rows(trace: BatchTrace, settings: PlantSettings) -> list[list[str]]:
    zone = settings.zone
    lot = [
        trace.code,
        format_liters(trace.initial_liters),
        UNIT_OF_MEASURE,
        settings.product_description,
        settings.plant_name,
        plant_time(trace.received_at, zone),
        trace.supplier or "",
        trace.tanker or "",
    ]
    return [
        [*lot, use.order_id or "", format_liters(use.liters), plant_time(use.at, zone)]
        for use in trace.standing_uses
    ]


def export_recall_csv(
    database: Database,
    code: str,
    path: str | os.PathLike[str],
    *,
    now: datetime | None = None,
) -> RecallExport:
    """Write the recall list of batch `code` to `path` (header only when no order used it).
    InvalidInput (exit 2) for a path that cannot be a file, NotFound (exit 4) for an unknown
    batch; in either case nothing is written."""
    target = check_csv_target(path)  # before the database: a typo'd path costs nothing
    trace = trace_batch(database, code, now=now)
    settings = get_plant_settings(database)
    rows = write_csv_atomically(target, RECALL_COLUMNS, recall_rows(trace, settings))
    return RecallExport(target, rows, trace)
