"""Batches and audit events as plain JSON-ready dicts (the scripting contract)."""

from __future__ import annotations

from typing import Any

from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.intake import (
    DEFAULT_TEMPERATURE_LIMIT_DECI,
    format_temperature,
    is_over_limit,
)
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.status import BatchStatus

# The JSON contract's keys, in order: scripts and the CSV export depend on them.
AUDIT_KEYS = (
    "at",
    "batch_code",
    "action",
    "liters",
    "remaining_after",
    "version_after",
    "order_id",
    "operator",
    "workstation",
    "reason",
    "id",
    "request_id",
    # Added with the lifecycle (QA, hold, recall, write-offs, reversals): after the others,
    # so a script or spreadsheet that reads columns by position keeps working.
    "reason_code",
    "reverses_id",
    "reversed_by",
    "qa_test",
    "qa_result",
    "qa_analyst",
    "qa_kit",
    "qa_sample_id",
    # register and qa: the QA state the event left the batch in.
    "qa_state_after",
    # reserve: the day the order plans to use the litres (ISO date).
    "reserved_for",
)


def batch_to_dict(
    batch: Batch,
    status: BatchStatus,
    temperature_limit_deci: int = DEFAULT_TEMPERATURE_LIMIT_DECI,
) -> dict[str, Any]:
    """`temperature_limit_deci`: the plant's limit, above which the receipt temperature is
    flagged (temperature_over_limit)."""
    fat = batch.fat_percent
    temperature = batch.temperature_deci
    return {
        "code": batch.code,
        "received_at": iso_z(batch.received_at),
        "expires_at": iso_z(batch.expires_at),
        "shelf_life_days": batch.shelf_life_days,
        "initial_liters": format_liters(batch.initial_liters),
        "remaining_liters": format_liters(batch.remaining_liters),
        "fat_percent": None if fat is None else f"{fat:f}",
        "status": status.value,
        "version": batch.version,
        "supplier": batch.supplier,
        "tanker": batch.tanker,
        "seal": batch.seal,
        # Exact text like "4.5", as litres are: never a float.
        "temperature_c": None if temperature is None else format_temperature(temperature),
        "temperature_over_limit": is_over_limit(temperature, temperature_limit_deci),
        "qa_state": batch.qa_state.value,
        # Reservations: all orders' together, and what is left for an order with none here.
        "reserved_liters": format_liters(batch.reserved_liters),
        "available_liters": format_liters(batch.available_liters),
    }


def event_to_dict(event: AuditEvent) -> dict[str, Any]:
    liters = event.liters
    return {
        "at": iso_z(event.at),
        "batch_code": event.batch_code,
        "action": event.action.value,
        "liters": None if liters is None else format_liters(liters),
        "remaining_after": format_liters(event.remaining_after),
        "version_after": event.version_after,
        "order_id": event.order_id,
        "operator": event.operator,
        "workstation": event.workstation,
        "reason": event.reason,
        "id": event.id,
        "request_id": event.request_id,
        "reason_code": event.reason_code,
        "reverses_id": event.reverses_id,
        "reversed_by": event.reversed_by,
        "qa_test": event.qa_test,
        "qa_result": event.qa_result,
        "qa_analyst": event.qa_analyst,
        "qa_kit": event.qa_kit,
        "qa_sample_id": event.qa_sample_id,
        "qa_state_after": event.qa_state_after,
        "reserved_for": None if event.reserved_for is None else event.reserved_for.isoformat(),
    }
