"""A trace as a CSV file (`trace batch|order --csv FILE`), and the safe way every trace
file is written: checked target, temporary file beside it, renamed when complete.

One row per fact: the batch's intake, each use, each disposal, each lab result, with the
kind of fact in the first column, so a spreadsheet can sort and filter it. Times are ISO
UTC and litres "0.000", as in the JSON. Typed text is formula-guarded as in the audit export.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.services.audit_export import formula_guarded
from dairy_desktop.services.file_replace import replacing
from dairy_desktop.services.trace_facts import BatchTrace, OrderTrace, Reversal
from dairy_desktop.services.trace_serialize import batch_trace_to_dict

TRACE_CSV_COLUMNS = (
    "kind",  # intake, use, disposal, qa
    "batch_code",
    "at",
    "order_id",
    "liters",
    "operator",
    "workstation",
    "event_id",
    "request_id",
    "reason_code",
    "note",
    "qa_test",
    "qa_result",
    "qa_analyst",
    "qa_kit",
    "qa_sample_id",
    "reversed_by_event_id",
    "reversed_at",
    "reversed_by",
    "reversed_on",
    "supplier",
    "tanker",
    "seal",
    "temperature_c",
    "expires_at",
    "remaining_liters",
    "status",
)

Row = Sequence[object]


def check_csv_target(path: str | os.PathLike[str]) -> Path:
    """The file to write, or InvalidInput (exit 2) saying why it cannot be: a folder, a
    folder that does not exist, an empty name."""
    target = Path(path)
    if not str(path).strip():
        raise InvalidInput("The CSV file name is missing: give one, e.g. recall.csv.", field="csv")
    if target.is_dir():
        raise InvalidInput(
            f"{target} is a folder, not a file: give a file name inside it, e.g. "
            f"{target / 'recall.csv'}. Nothing was written.",
            field="csv",
        )
    if not target.parent.is_dir():
        raise InvalidInput(
            f"The folder {target.parent} does not exist: create it or choose another. "
            "Nothing was written.",
            field="csv",
        )
    return target


def write_csv_atomically(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Row]
) -> int:
    """Write UTF-8 (with a BOM, which tells Excel so) to a temporary file beside `path`, then
    rename it into place: a failure leaves no half file and the old file, if any, intact.
    Returns the rows written (header not counted)."""
    written = 0
    with replacing(check_csv_target(path), cannot_create=_folder_refused) as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if cell is None else formula_guarded(cell) for cell in row])
            written += 1
    return written


def _folder_refused(target: Path, error: OSError) -> InvalidInput:
    # A folder the app may not write in is the operator's choice to change: exit 2.
    return InvalidInput(
        f"Cannot write in {target.parent}: {error.strerror or error}. Choose another "
        "folder. Nothing was written.",
        field="csv",
    )


def trace_rows(traces: Iterable[BatchTrace]) -> list[list[object]]:
    rows: list[list[object]] = []
    for trace in traces:
        rows.extend(_batch_rows(trace))
    return rows


def order_trace_rows(trace: OrderTrace) -> list[list[object]]:
    return trace_rows(trace.batches)


def _row(**values: object) -> list[object]:
    unknown = set(values) - set(TRACE_CSV_COLUMNS)
    if unknown:
        raise KeyError(f"not trace CSV columns: {sorted(unknown)}")
    return [values.get(column) for column in TRACE_CSV_COLUMNS]


def _reversed(reversal: Reversal | None) -> dict[str, object]:
    if reversal is None:
        return {}
    return {
        "reversed_by_event_id": reversal.event_id,
        "reversed_at": iso_z(reversal.at),
        "reversed_by": reversal.operator,
        "reversed_on": reversal.workstation,
    }


def _batch_rows(trace: BatchTrace) -> list[list[object]]:
    facts = batch_trace_to_dict(trace)
    code = trace.code
    rows = [
        _row(
            kind="intake",
            batch_code=code,
            at=facts["received_at"],
            liters=facts["initial_liters"],
            supplier=trace.supplier,
            tanker=trace.tanker,
            seal=trace.seal,
            temperature_c=facts["temperature_c"],
            expires_at=facts["expires_at"],
            remaining_liters=facts["remaining_liters"],
            status=facts["status"],
        )
    ]
    for use, shown in zip(trace.uses, facts["uses"], strict=True):
        rows.append(
            _row(
                kind="use",
                batch_code=code,
                at=shown["at"],
                order_id=use.order_id,
                liters=shown["liters"],
                operator=use.operator,
                workstation=use.workstation,
                event_id=use.event_id,
                request_id=use.request_id,
                **_reversed(use.reversal),
            )
        )
    for disposal, shown in zip(trace.disposals, facts["disposals"], strict=True):
        rows.append(
            _row(
                kind="disposal",
                batch_code=code,
                at=shown["at"],
                liters=shown["liters"],
                operator=disposal.operator,
                workstation=disposal.workstation,
                event_id=disposal.event_id,
                reason_code=disposal.reason_code,
                note=disposal.note,
                **_reversed(disposal.reversal),
            )
        )
    for finding, shown in zip(trace.qa_results, facts["qa_results"], strict=True):
        rows.append(
            _row(
                kind="qa",
                batch_code=code,
                at=shown["at"],
                operator=finding.operator,
                workstation=finding.workstation,
                event_id=finding.event_id,
                qa_test=finding.test,
                qa_result=finding.result,
                qa_analyst=finding.analyst,
                qa_kit=finding.kit,
                qa_sample_id=finding.sample_id,
            )
        )
    return rows
