"""What the main window shows is true and readable: the banner, totals and history after
every change, columns at the default size, the selection through filters, the horizon
before connecting, which database it is on, and room for a scan's message."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.main.banner import BANNER_RED, Banner
from dairy_desktop.ui.main.batch_table_model import COL_VERSION
from dairy_desktop.ui.main.connection_text import describe_database, shorten_path
from dairy_desktop.ui.main.quit_guard import finish_changes
from dairy_desktop.ui.main.window import CONNECTION_MAX_WIDTH, MainWindow
from dairy_desktop.ui.preferences.window_state import ui_settings
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.ui.conftest import OPERATOR

CODE = "SCH-20251204-0001"
OTHER = "SCH-20251204-0002"


def when_dialog_opens(window: MainWindow, act: Callable[[QWidget], None]) -> None:
    def opened(dialog: QWidget) -> None:
        window.dialog_opened.disconnect(opened)
        QTimer.singleShot(0, lambda: act_or_close(dialog))

    def act_or_close(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException:
            dialog.close()
            raise

    window.dialog_opened.connect(opened)


def history_actions(window: MainWindow) -> list[str]:
    history = window.details.history
    return [history.item(row, 1).text() for row in range(history.rowCount())]  # type: ignore[union-attr]


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# 1. the outage banner
def test_the_outage_banner_is_painted_red_under_white_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    host = QWidget()  # inside a window, as in the app: a lone top-level paints differently
    layout = QVBoxLayout(host)
    banner = Banner()
    layout.addWidget(banner)
    qtbot.addWidget(host)
    host.resize(600, 60)
    banner.show_message("<b>Not connected.</b> Database unavailable.")
    host.show()

    picture = host.grab().toImage()

    background = picture.pixelColor(banner.x() + 2, banner.y() + 2)  # no text, no button
    assert background == QColor(BANNER_RED), background.name()
    text = banner.text.palette().color(banner.text.foregroundRole())
    assert _contrast(background, text) >= 4.5, (background.name(), text.name())


def test_markup_in_a_driver_message_is_shown_as_text(window: MainWindow) -> None:
    window.controller._show_unavailable(OSError("could not connect to <db-server>"))

    assert "&lt;db-server&gt;" in window.banner.message()


# 2. totals and history follow every change without F5
def test_a_consume_updates_the_totals_and_the_history_without_refreshing(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(window.session.database, liters="1000")
    window.reload()
    window.select_code(CODE)
    assert history_actions(window) == ["register"]
    assert "1,000.000 L" in window.summary.text()

    def consume(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        dialog.liters.setText("250")
        dialog.submit_button.click()

    when_dialog_opens(window, consume)
    window.act_consume.trigger()

    # The totals are summed once per turn of the event loop, not per row.
    qtbot.waitUntil(
        lambda: "Available: 1 batches, 750.000 L" in window.summary.text(), timeout=2_000
    )
    assert history_actions(window) == ["consume", "register"]


def test_delete_and_restore_update_the_history_and_totals(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database, liters="400")
    window.reload()
    window.act_show_deleted.setChecked(True)  # so the deleted batch stays in view
    window.select_code(CODE)

    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason.setPlainText("checked twice")
        dialog.ok_button.click()

    when_dialog_opens(window, give_reason)
    window.act_delete.trigger()
    assert history_actions(window) == ["delete", "register"]
    # The totals are summed once per turn of the event loop, not per row.
    qtbot.waitUntil(lambda: "Available: 0 batches, 0.000 L" in window.summary.text(), timeout=2_000)

    when_dialog_opens(window, give_reason)
    window.act_restore.trigger()
    assert history_actions(window) == ["restore", "delete", "register"]
    # The totals are summed once per turn of the event loop, not per row.
    qtbot.waitUntil(
        lambda: "Available: 1 batches, 400.000 L" in window.summary.text(), timeout=2_000
    )


def test_another_pcs_consume_updates_the_selected_history_on_the_next_check(
    qtbot: QtBot, window: MainWindow, other_pc: AppSession
) -> None:
    register(other_pc.database, liters="1000")
    window.reload()
    window.select_code(CODE)

    other_pc.consume(CODE, "100", order_id=None, expected_version=None)
    window.poll()

    assert history_actions(window) == ["consume", "register"]
    # The totals are summed once per turn of the event loop, not per row.
    qtbot.waitUntil(lambda: "900.000 L" in window.summary.text(), timeout=2_000)


def test_a_new_batch_from_another_pc_is_counted_at_once(
    qtbot: QtBot, window: MainWindow, other_pc: AppSession
) -> None:
    register(other_pc.database, liters="1000")
    window.reload()
    register(other_pc.database, OTHER, liters="500")
    window.poll()

    # The totals are summed once per turn of the event loop, not per row.
    qtbot.waitUntil(
        lambda: "Available: 2 batches, 1,500.000 L" in window.summary.text(), timeout=2_000
    )


# 4. every column fits at the default size
@pytest.fixture
def fresh_layout() -> None:
    """No widths or geometry remembered from earlier windows in this test run."""
    settings = ui_settings()
    for key in ("main/geometry", "main/header", "main/splitter"):
        settings.remove(key)
    settings.sync()


def test_every_column_is_on_screen_at_the_default_size(  # type: ignore[no-untyped-def]
    qtbot, database_url: str, fresh_layout: None
) -> None:
    window = MainWindow(database_url, OPERATOR, TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.session is not None
    received = datetime.now(UTC) - timedelta(hours=1)
    for number in range(40):  # enough rows for a vertical scroll bar
        register(window.session.database, f"SCH-20251204-{number:04d}", received=received)
    window.reload()
    table = window.table
    assert table.verticalScrollBar().isVisible()
    header = table.horizontalHeader()

    right_edge = (
        header.sectionViewportPosition(COL_VERSION)
        + header.sectionSizeFromContents(COL_VERSION).width()
    )

    assert right_edge <= table.viewport().width()
    for column in range(COL_VERSION):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
        assert table.columnWidth(column) >= header.sectionSizeFromContents(column).width()
    window.close()


# 6. the context menu from the keyboard
def _popup() -> QMenu | None:
    popup = QApplication.activePopupWidget()
    return popup if isinstance(popup, QMenu) else None


@pytest.mark.parametrize("how", ["menu key", "shift+F10"])
def test_the_keyboard_opens_the_context_menu_at_the_current_row(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, how: str
) -> None:
    assert window.session is not None
    register(window.session.database)
    register(window.session.database, OTHER)
    window.reload()
    window.select_code(OTHER)
    table = window.table
    table.setFocus()

    if how == "menu key":  # what Qt sends for the Menu key: a keyboard context-menu event
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1))
        QApplication.sendEvent(table, event)
    else:
        qtbot.keyClick(table, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)

    menu = window.table_menu.menu
    assert menu is not None
    assert menu.isVisible()
    texts = [action.text() for action in menu.actions()]
    assert "&Consume…" in texts
    assert "Print &label…" in texts
    row = table.visualRect(table.currentIndex())
    row_bottom = table.viewport().mapToGlobal(row.bottomLeft()).y()
    assert abs(menu.geometry().top() - row_bottom) <= 2  # just under the current row
    menu.close()


# 7. filters keep the selection
def test_show_deleted_keeps_the_selected_batch(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database)
    register(window.session.database, OTHER)
    window.reload()
    window.select_code(OTHER)

    window.act_show_deleted.setChecked(True)
    assert window.selected_code() == OTHER
    assert window.details.code == OTHER
    window.filters.show_deleted.setChecked(False)
    assert window.selected_code() == OTHER


def test_a_new_horizon_keeps_the_selected_batch(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database)
    register(window.session.database, OTHER)
    window.reload()
    window.select_code(OTHER)

    window.filters.horizon.setValue(7)

    assert window.selected_code() == OTHER


# 9. the horizon before the plant's settings are known
def test_the_horizon_shows_a_dash_until_the_plant_settings_arrive(  # type: ignore[no-untyped-def]
    qtbot, database_url: str
) -> None:
    window = MainWindow(database_url, OPERATOR, TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.show()
    horizon = window.filters.horizon
    assert horizon.text() == "—"
    assert not horizon.isEnabled()

    window.start()

    assert horizon.text() == "3 days"
    assert horizon.isEnabled()
    window.close()


# 10. which database, in words
def test_the_status_bar_names_the_database_in_words(window: MainWindow) -> None:
    text = window.connection.text()
    if window.session is not None and window.session.database.kind == "postgresql":
        assert text.startswith("PostgreSQL ")
        assert " on 127.0.0.1" in text or " on localhost" in text
        assert "://" not in text
        assert "@" not in text
    else:
        assert text.startswith("SQLite file ")
        assert text.endswith(".sqlite3")
    assert window.connection.width() <= CONNECTION_MAX_WIDTH


@pytest.mark.parametrize(
    ("location", "shown"),
    [
        ("postgresql+psycopg2://dairy:***@db-server:5432/dairy", "PostgreSQL dairy on db-server"),
        ("postgresql://dairy_app:s3cret@db-server/dairy", "PostgreSQL dairy on db-server"),
        ("postgresql+psycopg2://u@10.0.0.5:6543/plant", "PostgreSQL plant on 10.0.0.5:6543"),
        ("postgresql://u@/dairy?host=/run/postgresql", "PostgreSQL dairy on /run/postgresql"),
    ],
)
def test_a_postgresql_location_reads_database_on_host_without_credentials(
    location: str, shown: str
) -> None:
    assert describe_database("postgresql", location) == shown


def test_a_long_sqlite_path_keeps_its_start_and_its_file_name() -> None:
    path = "/srv/plant-data/office/shared/databases/2025/dairy-main.sqlite3"

    shown = shorten_path(path, max_chars=40)

    assert len(shown) <= 40
    assert shown.startswith("/srv/plant")
    assert shown.endswith("…/dairy-main.sqlite3")
    assert describe_database("sqlite", "/data/dairy.sqlite3") == "SQLite file /data/dairy.sqlite3"


# 11. room for a scan's outcome
def test_a_scan_message_has_most_of_the_status_bar(window: MainWindow) -> None:
    window.resize(1280, 760)
    message = "Scanned 'XYZ-1' — not a batch code, an order id or a GS1 label: not used."
    window.show_message(message)
    bar = window.statusBar()
    permanent = sum(
        widget.width()
        for widget in (window.connection, window.clock_warning, window.audit_warning, window.busy)
        if widget.isVisible()
    )

    assert bar.currentMessage() == message
    assert bar.width() - permanent >= bar.fontMetrics().horizontalAdvance(message)


# 12. quitting: quick, and never dropping a change already sent
def test_closing_with_nothing_in_flight_takes_no_time(window: MainWindow) -> None:
    started = time.perf_counter()
    window.close()

    assert time.perf_counter() - started < 0.5
    assert window.session is None  # the database is let go of at once


def test_closing_waits_for_the_answer_of_a_change_in_flight(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    arrived = window.batch_actions._sent("the delete of SCH-20251204-0001")
    QTimer.singleShot(100, arrived)  # the answer comes while the window is closing

    window.close()

    assert window.batch_actions.in_flight == {}
    assert warned == []


def test_a_change_still_unanswered_at_closing_is_reported(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    window.batch_actions._sent("the restore of SCH-20251204-0001")

    missing = finish_changes(window.batch_actions, window, timeout_ms=50)

    assert missing == ["the restore of SCH-20251204-0001"]
    assert len(warned) == 1
    assert "the restore of SCH-20251204-0001" in warned[0]
    assert "audit trail" in warned[0]
