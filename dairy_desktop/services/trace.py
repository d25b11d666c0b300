"""Trace: forward from a batch to the orders that used it, backward from an order to its milk.

A recall asks "which orders used this milk?" and an order's complaint "which milk went into
it?"; both answers come from the audit trail in one read (db/repositories/trace.py), with
each batch's intake, lab results, write-offs and reversals beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from dairy_desktop.db.database import Database as StoredDatabase
from dairy_desktop.db.repositories.trace import TraceRepository
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.codes import validate_code_shape, validate_order_id
from dairy_desktop.domain.errors import InvalidInput, NotFound
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import not_found
from dairy_desktop.services.trace_facts import (
    BatchTrace,
    Disposal,
    OrderTrace,
    QaFinding,
    Reversal,
    Use,
)

__all__ = ["BatchTrace", "OrderTrace", "parse_order_id", "trace_batch", "trace_order"]


def trace_batch(database: Database, code: str, *, now: datetime | None = None) -> BatchTrace:
    """The batch's whole story; NotFound (exit 4) when no batch has that code."""
    wanted = validate_code_shape(code)
    with _reading(database) as (reads, settings):
        batch = reads.batch(wanted)
        if batch is None:
            raise not_found(wanted)
        events = reads.events_of([batch.id])
    return _batch_trace(batch, events, settings, _now(now))


def trace_order(database: Database, order_id: str, *, now: datetime | None = None) -> OrderTrace:
    """Each batch that went into the order, with only this order's uses of it (reversed
    ones included, marked so); NotFound (exit 4) when nothing was ever consumed for it."""
    order = parse_order_id(order_id)
    with _reading(database) as (reads, settings):
        batches = reads.batches_used_for(order)
        events = reads.events_of([batch.id for batch in batches])
    if not batches:
        raise NotFound(
            f"No milk was ever consumed for order {order}: nothing to trace. Check the order "
            "id (e.g. ORDER-20251204-0001), or look the batch up with `trace batch CODE`."
        )
    at = _now(now)
    traces = []
    for batch in batches:
        trace = _batch_trace(batch, [e for e in events if e.batch_code == batch.code], settings, at)
        uses = tuple(use for use in trace.uses if use.order_id == order)
        traces.append(replace(trace, uses=uses))
    return OrderTrace(order_id=order, batches=tuple(traces))


def parse_order_id(text: str) -> str:
    """An order id as typed or scanned; lower case is read as the upper case ids are."""
    order = validate_order_id(text.strip().upper())
    if order is None:
        raise InvalidInput(
            "The order id is missing: type or scan one, e.g. ORDER-20251204-0001.", field="order"
        )
    return order


@contextmanager
def _reading(database: Database) -> Iterator[tuple[TraceRepository, PlantSettings]]:
    """One read transaction: the trace reads, and the plant settings (for the status)."""
    if not isinstance(database, StoredDatabase):
        raise TypeError(f"a trace needs a stored database, not {type(database).__name__}")
    with database.unit_of_work() as uow:
        yield TraceRepository(uow.connection), settings_from(uow.settings.all())


def _now(now: datetime | None) -> datetime:
    return as_utc(now) if now is not None else utc_now()


def _batch_trace(
    batch: Batch, events: Iterable[AuditEvent], settings: PlantSettings, now: datetime
) -> BatchTrace:
    events = list(events)
    reversals = {
        event.reverses_id: _reversal(event)
        for event in events
        if event.action is AuditAction.REVERSE and event.reverses_id is not None
    }
    uses: list[Use] = []
    disposals: list[Disposal] = []
    findings: list[QaFinding] = []
    for event in events:
        if event.action is AuditAction.CONSUME:
            uses.append(_use(event, reversals.get(event.id)))
        elif event.action is AuditAction.DISPOSE:
            disposals.append(_disposal(event, reversals.get(event.id)))
        elif event.action is AuditAction.QA:
            findings.append(_finding(event))
    return BatchTrace(
        code=batch.code,
        received_at=batch.received_at,
        expires_at=batch.expires_at,
        supplier=batch.supplier,
        tanker=batch.tanker,
        seal=batch.seal,
        temperature_deci=batch.temperature_deci,
        fat_percent=batch.fat_percent,
        initial_liters=batch.initial_liters,
        remaining_liters=batch.remaining_liters,
        status=batch.status(now, settings.zone, settings.near_expiry_days),
        uses=tuple(uses),
        disposals=tuple(disposals),
        qa_results=tuple(findings),
    )


def _reversal(event: AuditEvent) -> Reversal:
    return Reversal(event.id, event.at, event.operator, event.workstation, event.reason)


def _use(event: AuditEvent, reversal: Reversal | None) -> Use:
    return Use(
        event_id=event.id,
        order_id=event.order_id,
        liters=from_milliliters(event.liters_ml or 0),
        at=event.at,
        operator=event.operator,
        workstation=event.workstation,
        request_id=event.request_id,
        reversal=reversal,
    )


def _disposal(event: AuditEvent, reversal: Reversal | None) -> Disposal:
    return Disposal(
        event_id=event.id,
        reason_code=event.reason_code,
        liters=from_milliliters(event.liters_ml or 0),
        at=event.at,
        operator=event.operator,
        workstation=event.workstation,
        note=event.reason,
        reversal=reversal,
    )


def _finding(event: AuditEvent) -> QaFinding:
    return QaFinding(
        event_id=event.id,
        test=event.qa_test,
        result=event.qa_result,
        analyst=event.qa_analyst,
        kit=event.qa_kit,
        sample_id=event.qa_sample_id,
        at=event.at,
        operator=event.operator,
        workstation=event.workstation,
    )
