"""The CSV export holds exactly the filtered trail, exact litres, and never a half file."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_export import (
    COLUMNS,
    ExportCancelled,
    export_audit_csv,
)
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.file_replace import ExportFailed
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.serialize import event_to_dict
from dairy_desktop.services.session import AppSession
from tests.integration.helpers import ANN, BOB

CODE = "SCH-20251201-0001"


def _seed(database: Database, batches: int = 3) -> None:
    # A day before the test runs, not a fixed date: PostgreSQL's clock decides whether the
    # seeded batches may still be consumed, so they have to be fresh by the real time.
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    for number in range(1, batches + 1):
        code = f"SCH-20251201-{number:04d}"
        at = start + timedelta(hours=number)
        register_batch(
            database,
            code=code,
            liters="1000.5",
            shelf_life_days=10,
            received_at=at,
            actor=ANN,
            now=at,
        )
        consume(database, code, "12.345", actor=BOB, order_id="ORDER-20251201-0001", now=at)
    delete_batch(database, CODE, reason="=HYPERLINK(evil) Zoë spilled it", actor=ANN, now=at)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _expected(database: Database, audit_filter: AuditFilter) -> list[dict[str, str]]:
    events = list_audit(database, audit_filter, newest_first=True)
    rows = []
    for event in events:
        values = event_to_dict(event)
        rows.append({k: "" if v is None else str(v) for k, v in values.items()})
    return rows


def _without_formula_guard(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v.removeprefix("'") for k, v in row.items()} for row in rows]


def test_the_csv_holds_the_whole_trail_newest_first(database: Database, tmp_path: Path) -> None:
    _seed(database)
    path = tmp_path / "trail.csv"
    written = export_audit_csv(database, AuditFilter(), path, page_size=2)
    assert (written, _without_formula_guard(_read(path))) == (7, _expected(database, AuditFilter()))


def test_the_columns_are_the_json_contract_keys(database: Database, tmp_path: Path) -> None:
    _seed(database, batches=1)
    path = tmp_path / "trail.csv"
    export_audit_csv(database, AuditFilter(), path)
    event = list_audit(database)[0]
    assert tuple(_read(path)[0]) == COLUMNS == tuple(event_to_dict(event))


def test_litres_are_exact_strings(database: Database, tmp_path: Path) -> None:
    _seed(database, batches=1)
    path = tmp_path / "trail.csv"
    export_audit_csv(database, AuditFilter(action=AuditAction.CONSUME), path)
    row = _read(path)[0]
    assert (row["liters"], row["remaining_after"]) == ("12.345", "988.155")


def test_the_file_starts_with_a_bom_for_excel(database: Database, tmp_path: Path) -> None:
    _seed(database, batches=1)
    path = tmp_path / "trail.csv"
    export_audit_csv(database, AuditFilter(), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfat,batch_code,")


def test_typed_text_that_excel_would_run_as_a_formula_is_quoted(
    database: Database, tmp_path: Path
) -> None:
    _seed(database, batches=1)
    path = tmp_path / "trail.csv"
    export_audit_csv(database, AuditFilter(action=AuditAction.DELETE), path)
    assert _read(path)[0]["reason"] == "'=HYPERLINK(evil) Zoë spilled it"


def test_the_filter_narrows_the_export(database: Database, tmp_path: Path) -> None:
    _seed(database)
    path = tmp_path / "trail.csv"
    audit_filter = AuditFilter(operator="bob")
    written = export_audit_csv(database, audit_filter, path, page_size=2)
    assert (written, [row["operator"] for row in _read(path)]) == (3, ["bob"] * 3)


def test_an_empty_trail_writes_only_the_header(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "trail.csv"
    assert export_audit_csv(database, AuditFilter(), path) == 0
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(COLUMNS)]


def test_a_session_can_be_the_source(database: Database, tmp_path: Path) -> None:
    _seed(database, batches=1)
    session = AppSession(database, Actor("ann", "PC-1"))
    assert export_audit_csv(session, AuditFilter(), tmp_path / "trail.csv") == 3


def test_progress_is_reported_after_each_page(database: Database, tmp_path: Path) -> None:
    _seed(database)
    seen: list[int] = []
    export_audit_csv(database, AuditFilter(), tmp_path / "t.csv", seen.append, page_size=3)
    assert seen == [3, 6, 7]


def test_a_cancelled_export_leaves_no_file(database: Database, tmp_path: Path) -> None:
    _seed(database)
    path = tmp_path / "trail.csv"
    with pytest.raises(ExportCancelled, match="after 2 rows"):
        export_audit_csv(database, AuditFilter(), path, lambda _rows: False, page_size=2)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_the_previous_file_whole(database: Database, tmp_path: Path) -> None:
    _seed(database)
    path = tmp_path / "trail.csv"
    path.write_text("previous export", encoding="utf-8")

    def fail(_rows: int) -> bool:
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportFailed, match="No space left on device"):
        export_audit_csv(database, AuditFilter(), path, fail, page_size=2)
    assert [p.name for p in tmp_path.iterdir()] == ["trail.csv"]
    assert path.read_text(encoding="utf-8") == "previous export"


def test_a_missing_folder_is_refused_with_the_folder_named(
    database: Database, tmp_path: Path
) -> None:
    with pytest.raises(ExportFailed, match=r"Cannot write in .*missing"):
        export_audit_csv(database, AuditFilter(), tmp_path / "missing" / "trail.csv")
