"""The consumption report as a CSV file: UTF-8 (with the BOM Excel looks for), a header
row, one row per group and a last `total` row; typed text guarded against formulas as in
the audit export; written to a temporary file renamed at the end, so there is never a half
file."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from dairy_desktop.domain.consumption import NO_ORDER
from dairy_desktop.services.audit_export import formula_guarded
from dairy_desktop.services.consumption_report import (
    TOTAL_KEYS,
    ConsumptionReport,
    totals_to_dict,
)
from dairy_desktop.services.file_replace import replacing


def report_csv_rows(report: ConsumptionReport) -> list[list[object]]:
    """Header first, then the groups, then the total; every cell as it is written. The
    first column says which a row is ("group" or "total"), so no order id, day or operator
    can pass for the total."""
    header: list[object] = ["row", report.by.value, *TOTAL_KEYS]
    rows = [header]
    for row in report.rows:
        key = NO_ORDER if row.key is None else row.key
        values = totals_to_dict(row.totals)
        rows.append(["group", formula_guarded(key), *(values[k] for k in TOTAL_KEYS)])
    total = totals_to_dict(report.total)
    rows.append(["total", "", *(total[k] for k in TOTAL_KEYS)])
    return rows


def write_report_csv(report: ConsumptionReport, path: str | os.PathLike[str]) -> int:
    """Write the report to `path` (replacing it whole); return the number of group rows."""
    with replacing(Path(path)) as file:
        csv.writer(file).writerows(report_csv_rows(report))
    return len(report.rows)
