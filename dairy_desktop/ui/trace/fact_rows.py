"""A trace's facts as the Trace view's table rows: plant-local times, the PC's number format.

Four tables, each with the batch in its first column so an order's several batches read
apart: the batches (intake and state), the uses, the disposals, the lab results.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.intake import format_temperature
from dairy_desktop.services.trace_facts import BatchTrace, Reversal
from dairy_desktop.ui.trace.fact_table_model import Cell, FactRow
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text

BATCH_HEADERS = (
    "Batch",
    "Status",
    "Received",
    "Expires",
    "Supplier",
    "Tanker",
    "Seal",
    "Temp. °C",
    "Received (L)",
    "Used (L)",
    "Remaining (L)",
)
USE_HEADERS = (
    "Batch",
    "Used at",
    "Order",
    "Litres",
    "Operator",
    "Workstation",
    "Event",
    "Reversed",
)
DISPOSAL_HEADERS = (
    "Batch",
    "Disposed at",
    "Reason",
    "Litres",
    "Operator",
    "Workstation",
    "Note",
    "Reversed",
)
QA_HEADERS = ("Batch", "Tested at", "Test", "Result", "Analyst", "Kit", "Sample id", "Operator")


def _text(value: str | None) -> Cell:
    return Cell(value or "—", sort=value or "")


def _liters(value: Decimal) -> Cell:
    return Cell(format_decimal(value, 3), sort=value, numeric=True)


def _time(moment: datetime) -> Cell:
    return Cell(local_time_text(moment), sort=moment)


def _reversed(reversal: Reversal | None) -> Cell:
    if reversal is None:
        return Cell("", sort="")
    text = f"Reversed {local_time_text(reversal.at)} by {reversal.operator}"
    tip = f"Event #{reversal.event_id} on {reversal.workstation}" + (
        f": {reversal.reason}" if reversal.reason else ""
    )
    return Cell(text, sort=reversal.at, tip=tip)


def batch_rows(traces: Iterable[BatchTrace]) -> list[FactRow]:
    rows = []
    for trace in traces:
        temperature = trace.temperature_deci
        rows.append(
            FactRow(
                (
                    Cell(trace.code),
                    Cell(trace.status.label, sort=trace.status.label),
                    _time(trace.received_at),
                    _time(trace.expires_at),
                    _text(trace.supplier),
                    _text(trace.tanker),
                    _text(trace.seal),
                    Cell(
                        "—" if temperature is None else format_temperature(temperature),
                        sort=temperature,
                        numeric=True,
                    ),
                    _liters(trace.initial_liters),
                    _liters(trace.used_liters),
                    _liters(trace.remaining_liters),
                )
            )
        )
    return rows


def use_rows(traces: Iterable[BatchTrace]) -> list[FactRow]:
    return [
        FactRow(
            (
                Cell(trace.code),
                _time(use.at),
                _text(use.order_id),
                _liters(use.liters),
                Cell(use.operator),
                Cell(use.workstation),
                Cell(f"#{use.event_id}", sort=use.event_id, numeric=True),
                _reversed(use.reversal),
            ),
            muted=not use.stands,
        )
        for trace in traces
        for use in trace.uses
    ]


def disposal_rows(traces: Iterable[BatchTrace]) -> list[FactRow]:
    return [
        FactRow(
            (
                Cell(trace.code),
                _time(disposal.at),
                _text(disposal.reason_code),
                _liters(disposal.liters),
                Cell(disposal.operator),
                Cell(disposal.workstation),
                _text(disposal.note),
                _reversed(disposal.reversal),
            ),
            muted=disposal.reversal is not None,
        )
        for trace in traces
        for disposal in trace.disposals
    ]


def qa_rows(traces: Iterable[BatchTrace]) -> list[FactRow]:
    return [
        FactRow(
            (
                Cell(trace.code),
                _time(finding.at),
                _text(finding.test),
                Cell((finding.result or "—").upper(), sort=finding.result or ""),
                _text(finding.analyst),
                _text(finding.kit),
                _text(finding.sample_id),
                Cell(finding.operator),
            )
        )
        for trace in traces
        for finding in trace.qa_results
    ]
