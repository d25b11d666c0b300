"""Trace and the recall list, checked against the audit trail on both databases: every
consume, reverse, disposal and lab result of a batch, and the intake it came in with."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.errors import InvalidInput, NotFound
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.file_replace import ExportFailed
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.recall_export import RECALL_COLUMNS, export_recall_csv
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reverse import reverse_once
from dairy_desktop.services.trace import trace_batch, trace_order
from dairy_desktop.services.trace_facts import BatchTrace
from tests.integration.helpers import ANN, BOB
from tests.integration.lifecycle_stock import gate_on

CODE = "SCH-20251204-0001"
OTHER = "HOF-20251204-0002"
ORDER_A = "ORDER-20251204-0001"
ORDER_B = "ORDER-20251204-0002"
EVIL_SUPPLIER = '=HYPERLINK("http://evil.example","Hof Schmidt")'
CAROL = Actor(operator="carol", workstation="LAB-PC")


def _story(database: Database) -> dict[str, int]:
    """Two batches, their intake and QA; three uses of CODE (one reversed), a write-off
    (reversed too) and a second batch used for ORDER_A. Returns the events' ids by name."""
    gate_on(database)
    received = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    register_batch(
        database,
        code=CODE,
        liters="1000.5",
        shelf_life_days=5,
        received_at=received,
        supplier=EVIL_SUPPLIER,
        tanker="TK-07",
        seal="S-123",
        temperature="4.5",
        actor=ANN,
    )
    register_batch(
        database,
        code=OTHER,
        liters="500",
        shelf_life_days=5,
        received_at=received,
        supplier="Hof Müller",
        actor=ANN,
    )
    for code in (CODE, OTHER):
        record_qa_once(
            database,
            code,
            test="beta-lactam",
            result="pass",
            analyst="lab-anna",
            kit="SNAP-42",
            sample_id=f"S-{code[-4:]}",
            actor=CAROL.for_action(),
        )
    ids = {}
    ids["a1"] = _consume(database, CODE, "100.250", ORDER_A, ANN)
    ids["b"] = _consume(database, CODE, "50", ORDER_B, BOB)
    ids["a2"] = _consume(database, CODE, "25.005", ORDER_A, BOB)
    ids["other"] = _consume(database, OTHER, "40", ORDER_A, ANN)
    ids["reverse_b"] = reverse_once(
        database, ids["b"], reason="wrong order", actor=ANN.for_action()
    ).event.id
    ids["spill"] = dispose_once(
        database, CODE, "10", reason_code="spillage", note="hose burst", actor=BOB.for_action()
    ).event.id
    ids["lab"] = dispose_once(
        database, CODE, "0.5", reason_code="lab-sample", actor=CAROL.for_action()
    ).event.id
    ids["reverse_spill"] = reverse_once(
        database, ids["spill"], reason="counted twice", actor=BOB.for_action()
    ).event.id
    return ids


def _consume(database: Database, code: str, liters: str, order: str, actor: Actor) -> int:
    return consume_once(database, code, liters, order_id=order, actor=actor.for_action()).event.id


def _trail(database: Database, code: str) -> dict[int, AuditEvent]:
    return {event.id: event for event in list_audit(database, AuditFilter(batch_code=code))}


def _uses_from_audit(trail: dict[int, AuditEvent], order: str | None = None) -> list[tuple]:
    """What the trail itself says about each consume (and the reverse that undid it)."""
    rows = []
    for event in trail.values():
        if event.action is not AuditAction.CONSUME or order not in (None, event.order_id):
            continue
        undo = trail[event.reversed_by] if event.reversed_by is not None else None
        rows.append(
            (
                event.id,
                event.order_id,
                event.liters,
                event.at,
                event.operator,
                event.workstation,
                event.request_id,
                None if undo is None else (undo.id, undo.at, undo.operator, undo.workstation),
            )
        )
    return rows


def _uses_from_trace(trace: BatchTrace) -> list[tuple]:
    return [
        (
            use.event_id,
            use.order_id,
            use.liters,
            use.at,
            use.operator,
            use.workstation,
            use.request_id,
            None
            if use.reversal is None
            else (
                use.reversal.event_id,
                use.reversal.at,
                use.reversal.operator,
                use.reversal.workstation,
            ),
        )
        for use in trace.uses
    ]


def test_a_batch_trace_tells_every_use_as_the_audit_trail_does(database: Database) -> None:
    ids = _story(database)
    trace = trace_batch(database, CODE)
    trail = _trail(database, CODE)
    assert _uses_from_trace(trace) == _uses_from_audit(trail)
    assert [use.event_id for use in trace.uses] == [ids["a1"], ids["b"], ids["a2"]]
    assert [use.stands for use in trace.uses] == [True, False, True]
    assert trace.uses[1].reversal is not None
    assert trace.uses[1].reversal.reason == "wrong order"
    assert trace.orders == (ORDER_A,)  # B's only use was reversed
    assert trace.used_liters == Decimal("125.255")


def test_a_batch_trace_tells_its_disposals_and_qa_results_as_the_audit_trail_does(
    database: Database,
) -> None:
    ids = _story(database)
    trace = trace_batch(database, CODE)
    trail = _trail(database, CODE)
    disposals = [e for e in trail.values() if e.action is AuditAction.DISPOSE]
    assert [
        (d.event_id, d.reason_code, d.liters, d.at, d.operator, d.workstation, d.note)
        for d in trace.disposals
    ] == [
        (e.id, e.reason_code, e.liters, e.at, e.operator, e.workstation, e.reason)
        for e in disposals
    ]
    assert [d.reversal.event_id if d.reversal else None for d in trace.disposals] == [
        ids["reverse_spill"],
        None,
    ]
    findings = [e for e in trail.values() if e.action is AuditAction.QA]
    assert [
        (q.event_id, q.test, q.result, q.analyst, q.kit, q.sample_id, q.at, q.operator)
        for q in trace.qa_results
    ] == [
        (e.id, e.qa_test, e.qa_result, e.qa_analyst, e.qa_kit, e.qa_sample_id, e.at, e.operator)
        for e in findings
    ]
    assert trace.qa_results[0].kit == "SNAP-42"


def test_a_batch_trace_carries_the_intake_and_the_current_state(database: Database) -> None:
    _story(database)
    trace = trace_batch(database, CODE)
    batch = get_batch(database, CODE)
    assert (
        trace.code,
        trace.received_at,
        trace.expires_at,
        trace.supplier,
        trace.tanker,
        trace.seal,
        trace.temperature_deci,
        trace.initial_liters,
        trace.remaining_liters,
    ) == (
        batch.code,
        batch.received_at,
        batch.expires_at,
        EVIL_SUPPLIER,
        "TK-07",
        "S-123",
        45,
        Decimal("1000.500"),
        batch.remaining_liters,
    )
    # The ledger, from the trace alone: initial - used - disposed (standing) = remaining.
    disposed = sum(d.liters for d in trace.disposals if d.reversal is None)
    assert trace.initial_liters - trace.used_liters - disposed == trace.remaining_liters
    assert trace.status is BatchStatus.FRESH


def test_an_order_trace_lists_each_batch_with_that_orders_uses_only(database: Database) -> None:
    _story(database)
    trace = trace_order(database, ORDER_A.lower())  # typed in lower case, read as upper
    assert trace.order_id == ORDER_A
    assert [batch.code for batch in trace.batches] == [CODE, OTHER]  # first used first
    assert _uses_from_trace(trace.batches[0]) == _uses_from_audit(_trail(database, CODE), ORDER_A)
    assert _uses_from_trace(trace.batches[1]) == _uses_from_audit(_trail(database, OTHER), ORDER_A)
    assert trace.used_liters == Decimal("165.255")
    assert trace.batches[0].disposals == trace_batch(database, CODE).disposals


def test_an_order_whose_only_use_was_reversed_still_traces_to_its_batch(
    database: Database,
) -> None:
    _story(database)
    trace = trace_order(database, ORDER_B)
    assert [batch.code for batch in trace.batches] == [CODE]
    assert [use.stands for use in trace.batches[0].uses] == [False]
    assert trace.used_liters == Decimal("0.000")


def test_an_unknown_batch_or_an_unused_order_is_not_found(database: Database) -> None:
    _story(database)
    with pytest.raises(NotFound, match="No batch with code"):
        trace_batch(database, "XYZ-20251204-0009")
    with pytest.raises(NotFound, match="No milk was ever consumed for order ORDER-20251204-0099"):
        trace_order(database, "ORDER-20251204-0099")
    with pytest.raises(InvalidInput, match="not an order id"):
        trace_order(database, "ORD-1")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_the_recall_list_has_one_row_per_standing_use_in_plant_time(
    database: Database, tmp_path: Path
) -> None:
    _story(database)
    settings = replace(
        get_plant_settings(database),
        plant_name="Riverside Dairy",
        time_zone="Europe/Berlin",
        product_description="raw cow's milk",
    )
    update_plant_settings(database, settings, ANN)
    path = tmp_path / "recall.csv"
    done = export_recall_csv(database, CODE, path)
    header, *rows = _read(path)
    assert header == list(RECALL_COLUMNS)
    trail = _trail(database, CODE)
    berlin = ZoneInfo("Europe/Berlin")
    batch = get_batch(database, CODE)

    def local(moment: datetime) -> str:
        text = moment.astimezone(berlin).strftime("%Y-%m-%d %H:%M %z")
        return text[:-2] + ":" + text[-2:]

    expected = [
        [
            CODE,
            "1000.500",
            "L",
            "raw cow's milk",
            "Riverside Dairy",
            local(batch.received_at),
            "'" + EVIL_SUPPLIER,  # formula-guarded, as in the audit export
            "TK-07",
            event.order_id,
            f"{event.liters:f}",
            local(event.at),
        ]
        for event in trail.values()
        if event.action is AuditAction.CONSUME and event.reversed_by is None
    ]
    assert rows == expected
    assert (done.rows, len(rows)) == (2, 2)
    assert rows[0][5].endswith((" +01:00", " +02:00"))


def test_a_recall_of_an_unused_batch_writes_the_header_only(
    database: Database, tmp_path: Path
) -> None:
    gate_on(database)
    register_batch(database, code=CODE, liters="10", shelf_life_days=3, actor=ANN)
    path = tmp_path / "recall.csv"
    assert export_recall_csv(database, CODE, path).rows == 0
    assert _read(path) == [list(RECALL_COLUMNS)]


def test_a_recall_to_a_folder_or_a_missing_folder_is_refused_and_writes_nothing(
    database: Database, tmp_path: Path
) -> None:
    _story(database)
    with pytest.raises(InvalidInput, match="is a folder"):
        export_recall_csv(database, CODE, tmp_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        export_recall_csv(database, CODE, tmp_path / "nowhere" / "recall.csv")
    with pytest.raises(NotFound):
        export_recall_csv(database, "XYZ-20251204-0009", tmp_path / "recall.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_recall_that_fails_while_writing_leaves_the_old_file_and_no_temporary_one(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _story(database)
    path = tmp_path / "recall.csv"
    path.write_text("yesterday's list\n", encoding="utf-8")
    from dairy_desktop.services import recall_export

    def broken(trace: BatchTrace, settings: object) -> object:
        yield ["first", "row"]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recall_export, "recall_rows", broken)
    with pytest.raises(ExportFailed, match=r"No space left on device\. Nothing was saved"):
        export_recall_csv(database, CODE, path)
    assert path.read_text(encoding="utf-8") == "yesterday's list\n"
    assert [p.name for p in tmp_path.iterdir()] == ["recall.csv"]
