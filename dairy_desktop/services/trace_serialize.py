"""Traces as plain JSON-ready dicts (the scripting contract of `trace batch|order --json`).

Litres are "0.000" strings and times ISO 8601 UTC with a Z, as everywhere in the JSON.
"""

from __future__ import annotations

from typing import Any

from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.intake import format_temperature
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.services.trace_facts import (
    BatchTrace,
    Disposal,
    OrderTrace,
    QaFinding,
    Reversal,
    Use,
)


def batch_trace_to_dict(trace: BatchTrace) -> dict[str, Any]:
    fat = trace.fat_percent
    return {
        "code": trace.code,
        "received_at": iso_z(trace.received_at),
        "expires_at": iso_z(trace.expires_at),
        "supplier": trace.supplier,
        "tanker": trace.tanker,
        "seal": trace.seal,
        "temperature_c": (
            None if trace.temperature_deci is None else format_temperature(trace.temperature_deci)
        ),
        "fat_percent": None if fat is None else f"{fat:f}",
        "initial_liters": format_liters(trace.initial_liters),
        "remaining_liters": format_liters(trace.remaining_liters),
        "used_liters": format_liters(trace.used_liters),
        "status": trace.status.value,
        "orders": list(trace.orders),
        "uses": [use_to_dict(use) for use in trace.uses],
        "disposals": [disposal_to_dict(disposal) for disposal in trace.disposals],
        "qa_results": [finding_to_dict(finding) for finding in trace.qa_results],
    }


def order_trace_to_dict(trace: OrderTrace) -> dict[str, Any]:
    return {
        "order_id": trace.order_id,
        "used_liters": format_liters(trace.used_liters),
        "batches": [batch_trace_to_dict(batch) for batch in trace.batches],
    }


def reversal_to_dict(reversal: Reversal | None) -> dict[str, Any] | None:
    if reversal is None:
        return None
    return {
        "event_id": reversal.event_id,
        "at": iso_z(reversal.at),
        "operator": reversal.operator,
        "workstation": reversal.workstation,
        "reason": reversal.reason,
    }


def use_to_dict(use: Use) -> dict[str, Any]:
    return {
        "event_id": use.event_id,
        "order_id": use.order_id,
        "liters": format_liters(use.liters),
        "at": iso_z(use.at),
        "operator": use.operator,
        "workstation": use.workstation,
        "request_id": use.request_id,
        "reversed": not use.stands,
        "reversal": reversal_to_dict(use.reversal),
    }


def disposal_to_dict(disposal: Disposal) -> dict[str, Any]:
    return {
        "event_id": disposal.event_id,
        "reason_code": disposal.reason_code,
        "liters": format_liters(disposal.liters),
        "at": iso_z(disposal.at),
        "operator": disposal.operator,
        "workstation": disposal.workstation,
        "note": disposal.note,
        "reversed": disposal.reversal is not None,
        "reversal": reversal_to_dict(disposal.reversal),
    }


def finding_to_dict(finding: QaFinding) -> dict[str, Any]:
    return {
        "event_id": finding.event_id,
        "test": finding.test,
        "result": finding.result,
        "analyst": finding.analyst,
        "kit": finding.kit,
        "sample_id": finding.sample_id,
        "at": iso_z(finding.at),
        "operator": finding.operator,
        "workstation": finding.workstation,
    }
