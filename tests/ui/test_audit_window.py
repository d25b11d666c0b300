"""The audit view: pages in as it scrolls, filters in the database, exports what it shows."""

from __future__ import annotations

import csv
import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import AuditFilter
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.audit import table_model as cols
from dairy_desktop.ui.audit.table_model import AuditTableModel
from dairy_desktop.ui.audit.window import AuditWindow, local_day_bounds
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import ANN, BOB
from tests.support.databases import PostgresFactory, SqliteFactory, open_test_database

BATCH_A = "SCH-20251201-0001"
BATCH_B = "SCH-20251202-0001"
BERLIN = ZoneInfo("Europe/Berlin")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 12, day, hour, minute, tzinfo=UTC)


def _seed(database: Database) -> None:
    """Six events over four days; two of them straddle midnight in Berlin (UTC+1)."""
    update_plant_settings(
        database,
        PlantSettings("Riverside", time_zone="Europe/Berlin", qa_release_required=False),
        ANN,
    )
    _register(database, BATCH_A, ANN, _at(1, 9))
    consume(database, BATCH_A, "12.345", actor=BOB, order_id="ORDER-20251201-0001", now=_at(1, 10))
    _register(database, BATCH_B, BOB, _at(2, 22, 30))  # Dec 2, 23:30 in Berlin
    consume(database, BATCH_B, "0.001", actor=ANN, now=_at(2, 23, 30))  # Dec 3, 00:30 in Berlin
    delete_batch(database, BATCH_A, reason="Spilled", actor=ANN, now=_at(3, 10))
    restore_batch(database, BATCH_A, reason="Recount", actor=BOB, now=_at(4, 8))


def _register(database: Database, code: str, actor: Actor, at: datetime) -> None:
    register_batch(
        database,
        code=code,
        liters="1000.5",
        shelf_life_days=10,
        received_at=at,
        actor=actor,
        now=at,
    )


@pytest.fixture
def database_url(sqlite_factory: SqliteFactory) -> Iterator[str]:
    """SQLite only: the trail is seeded at fixed instants in 2025, which only a database
    without a clock of its own records as given. PostgreSQL writes its server's time
    (tests/integration/test_server_clock.py); the window reads both through the same
    services, and test_the_trail_of_a_postgresql_database_shows_newest_first covers it."""
    url = sqlite_factory.new_url()
    yield url
    sqlite_factory.drop(url)


@pytest.fixture
def session(database: Database) -> AppSession:
    _seed(database)
    return AppSession(database, Actor("ann", "PC-1"))


@pytest.fixture
def window(session: AppSession, qtbot: QtBot) -> AuditWindow:
    made = AuditWindow(session, TaskRunner(synchronous=True))
    qtbot.addWidget(made)
    return made


def _column(window: AuditWindow, column: int) -> list[str]:
    model = window.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_window_says_what_it_is(window: AuditWindow) -> None:
    assert window.windowTitle() == "Audit trail"


def test_the_whole_trail_shows_newest_first(window: AuditWindow) -> None:
    assert _column(window, cols.COL_ACTION) == [
        "Restore",
        "Delete",
        "Consume",
        "Register",
        "Consume",
        "Register",
    ]


def test_times_show_in_the_plants_local_time(window: AuditWindow) -> None:
    assert _column(window, cols.COL_TIME)[0] == "2025-12-04 09:00:00"


def test_litres_show_exactly(window: AuditWindow) -> None:
    row = _column(window, cols.COL_ACTION).index("Consume", 3)  # A's consume (newest first)
    model = window.model
    shown = [model.data(model.index(row, c)) for c in (cols.COL_LITRES, cols.COL_REMAINING)]
    assert shown == ["12.345", "988.155"]


def test_a_batch_code_given_at_opening_filters_to_that_batch(
    session: AppSession, qtbot: QtBot
) -> None:
    made = AuditWindow(session, TaskRunner(synchronous=True), batch_code=BATCH_B)
    qtbot.addWidget(made)
    assert set(_column(made, cols.COL_BATCH)) == {BATCH_B}


def test_the_batch_filter_narrows_the_rows(window: AuditWindow) -> None:
    window.batch_edit.setText(BATCH_A)
    window.apply_filter()
    assert _column(window, cols.COL_BATCH) == [BATCH_A] * 4


def test_the_operator_filter_narrows_the_rows(window: AuditWindow) -> None:
    window.operator_edit.setText("bob")
    window.apply_filter()
    assert _column(window, cols.COL_OPERATOR) == ["bob"] * 3


def test_the_action_filter_narrows_the_rows(window: AuditWindow) -> None:
    window.action_combo.setCurrentIndex(window.action_combo.findData(AuditAction.CONSUME.value))
    assert _column(window, cols.COL_ACTION) == ["Consume", "Consume"]


def test_the_date_range_is_whole_local_days(window: AuditWindow) -> None:
    window.from_date.setDate(QDate(2025, 12, 3))
    window.to_date.setDate(QDate(2025, 12, 3))
    window.from_check.setChecked(True)
    window.to_check.setChecked(True)
    # 23:30 UTC on Dec 2 is Dec 3 in Berlin; 22:30 UTC on Dec 2 is not.
    assert _column(window, cols.COL_ACTION) == ["Delete", "Consume"]


def test_a_from_date_after_the_to_date_is_refused_with_the_reason(window: AuditWindow) -> None:
    window.to_check.setChecked(True)
    window.from_check.setChecked(True)
    window.from_date.setDate(window.to_date.date().addDays(2))
    assert "is after the To date" in window.message
    assert window.model.rowCount() == 0  # no rows of the previous filter left to misread


def test_filters_combine(window: AuditWindow) -> None:
    window.batch_edit.setText(BATCH_A)
    window.operator_edit.setText("ann")
    window.apply_filter()
    assert _column(window, cols.COL_ACTION) == ["Delete", "Register"]


def test_no_match_says_so(window: AuditWindow) -> None:
    window.operator_edit.setText("nobody")
    window.apply_filter()
    assert window.count_label.text() == "No events match these filters."


def test_local_days_become_utc_bounds_across_a_dst_change() -> None:
    since, until = local_day_bounds(date(2025, 3, 30), date(2025, 3, 30), BERLIN)
    assert (since, until) == (_utc(2025, 3, 29, 23), _utc(2025, 3, 30, 22))  # a 23-hour day


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_the_model_passes_the_qt_model_tester(
    session: AppSession, qtmodeltester: ModelTester
) -> None:
    model = AuditTableModel(session, TaskRunner(synchronous=True), zone=BERLIN, page_size=4)
    model.set_filter(AuditFilter())
    qtmodeltester.check(model)


def test_pages_are_fetched_on_demand_until_the_end(session: AppSession) -> None:
    model = AuditTableModel(session, TaskRunner(synchronous=True), page_size=4)
    model.set_filter(AuditFilter())
    counts = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        counts.append(model.rowCount())
    assert counts == [4, 6]


def test_an_exact_last_page_costs_one_empty_fetch(session: AppSession) -> None:
    model = AuditTableModel(session, TaskRunner(synchronous=True), page_size=3)
    model.set_filter(AuditFilter())
    model.fetchMore(QModelIndex())
    assert (model.rowCount(), model.canFetchMore(QModelIndex())) == (6, True)
    model.fetchMore(QModelIndex())
    assert (model.rowCount(), model.canFetchMore(QModelIndex())) == (6, False)


def test_scrolling_to_the_bottom_fetches_more(session: AppSession, qtbot: QtBot) -> None:
    model = AuditTableModel(session, TaskRunner(synchronous=True), page_size=2)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(30)
    view.resize(500, 100)  # room for about two rows
    view.show()
    model.set_filter(AuditFilter())
    qtbot.waitExposed(view)
    first = model.rowCount()
    for _ in range(5):
        view.scrollToBottom()
        qtbot.wait(20)
    assert (first < 6, model.rowCount(), model.canFetchMore(QModelIndex())) == (True, 6, False)


def test_background_loading_fills_the_table(session: AppSession, qtbot: QtBot) -> None:
    runner = TaskRunner()
    made = AuditWindow(session, runner)
    qtbot.addWidget(made)
    qtbot.waitUntil(lambda: made.model.rowCount() == 6 and not made.model.loading)
    assert made.count_label.text() == "6 events"
    runner.wait_for_done()


def test_export_writes_the_filtered_trail(
    window: AuditWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    window.operator_edit.setText("bob")
    window.apply_filter()
    with qtbot.waitSignal(window.export_finished) as finished:
        window.export_csv(str(tmp_path / "bob"))
    path = tmp_path / "bob.csv"
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert finished.args == [3, str(path)]
    assert [(r["action"], r["liters"]) for r in rows] == [
        ("restore", ""),
        ("register", "1000.500"),
        ("consume", "12.345"),
    ]


def test_a_failed_export_says_why(window: AuditWindow, tmp_path: Path) -> None:
    window.export_csv(str(tmp_path / "missing" / "trail.csv"))
    assert window.message.startswith("Export failed: Cannot write in")
    assert window.export_button.isEnabled()


def test_refresh_and_export_have_shortcuts(window: AuditWindow) -> None:
    shortcuts = (window.refresh_action.shortcut(), window.export_action.shortcut())
    assert shortcuts == (QKeySequence("F5"), QKeySequence("Ctrl+S"))


def test_refresh_shows_new_events(window: AuditWindow, session: AppSession) -> None:
    consume(session.database, BATCH_B, "1", actor=BOB, now=_at(4, 9))
    window.refresh_action.trigger()
    assert window.model.rowCount() == 7


@pytest.mark.postgres
def test_the_trail_of_a_postgresql_database_shows_newest_first(
    postgres_factory: PostgresFactory, qtbot: QtBot
) -> None:
    url = postgres_factory.new_url()
    database = open_test_database(url)
    try:
        _register(database, BATCH_A, ANN, datetime.now(UTC) - timedelta(hours=1))
        consume(database, BATCH_A, "12.345", actor=BOB, order_id="ORDER-20251201-0001")
        made = AuditWindow(AppSession(database, ANN), TaskRunner(synchronous=True))
        qtbot.addWidget(made)
        assert _column(made, cols.COL_ACTION) == ["Consume", "Register"]
        assert made.count_label.text() == "2 events"
    finally:
        database.dispose()
        postgres_factory.drop(url)


def test_an_unreachable_database_shows_the_reason(qtbot: QtBot) -> None:
    database = open_database(f"postgresql://ann@127.0.0.1:{_closed_port()}/dairy", upgrade=False)
    made = AuditWindow(AppSession(database, Actor("ann", "PC-1")), TaskRunner(synchronous=True))
    qtbot.addWidget(made)
    assert "Database unavailable" in made.message
    database.dispose()


def test_export_runs_in_the_background(session: AppSession, tmp_path: Path, qtbot: QtBot) -> None:
    runner = TaskRunner()
    made = AuditWindow(session, runner)
    qtbot.addWidget(made)
    qtbot.waitUntil(lambda: not made.model.loading)
    with qtbot.waitSignal(made.export_finished, timeout=10_000) as finished:
        made.export_csv(str(tmp_path / "trail.csv"))
        assert not made.export_button.isEnabled()  # one export at a time
    assert finished.args == [6, str(tmp_path / "trail.csv")]
    assert made.export_button.isEnabled()
    runner.wait_for_done()


def test_closing_the_window_while_a_page_loads_is_harmless(
    session: AppSession, qtbot: QtBot
) -> None:
    runner = TaskRunner()
    made = AuditWindow(session, runner)
    made.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    made.close()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)  # late pages are dropped quietly


def test_litres_are_grouped_as_the_main_window_writes_them(
    session: AppSession, qtbot: QtBot
) -> None:
    at = _at(5, 9)
    register_batch(
        session.database,
        code="SCH-20251205-0001",
        liters="12345.5",
        shelf_life_days=10,
        received_at=at,
        actor=ANN,
        now=at,
    )
    made = AuditWindow(session, TaskRunner(synchronous=True), batch_code="SCH-20251205-0001")
    qtbot.addWidget(made)
    model = made.model
    shown = [model.data(model.index(0, c)) for c in (cols.COL_LITRES, cols.COL_REMAINING)]
    assert shown == ["12,345.500", "12,345.500"]


def test_escape_closes_the_window(window: AuditWindow, qtbot: QtBot) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    window.batch_edit.setFocus()  # even from a filter field

    qtbot.keyClick(window.batch_edit, Qt.Key.Key_Escape)

    assert not window.isVisible()


def test_operator_and_workstation_names_are_not_cut_off(database: Database, qtbot: QtBot) -> None:
    long_names = Actor("margarethe.schneider-hoffmann", "OFFICE-PC-RECEIVING-2")
    _register(database, BATCH_A, long_names, _at(1, 9))
    consume(database, BATCH_A, "1", actor=long_names, now=_at(1, 10))  # "Consume" is widest
    made = AuditWindow(AppSession(database, long_names), TaskRunner(synchronous=True))
    qtbot.addWidget(made)
    made.show()
    table = made.table
    for column in (cols.COL_ACTION, cols.COL_OPERATOR, cols.COL_WORKSTATION):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
    header = table.horizontalHeader()
    for column in range(cols.COL_REASON):  # every column but the stretching last one
        assert table.columnWidth(column) >= header.sectionSizeFromContents(column).width()
    last = header.sectionViewportPosition(cols.COL_REASON)
    assert last < table.viewport().width(), "Reason starts inside the window"
