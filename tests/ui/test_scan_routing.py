"""What a scan does in the window and in each dialog, end to end through the wedge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from tests.integration.helpers import register
from tests.support.keystrokes import ManualClock, ScanKeyboard
from tests.support.widgets import closed

CODE = "SCH-20251204-0001"
GS = "\x1d"


def _drive(window: MainWindow, act) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Run `act` inside the next modal dialog; a failing check closes it instead of hanging."""
    seen: list[QWidget] = []

    def guarded(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException:
            dialog.reject()  # type: ignore[attr-defined]
            raise

    def opened(dialog: QWidget) -> None:
        window.dialog_opened.disconnect(opened)
        seen.append(dialog)
        QTimer.singleShot(0, lambda: guarded(dialog))

    window.dialog_opened.connect(opened)
    return seen


def test_scanning_a_known_batch_opens_consume_and_an_order_scan_fills_the_order(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    assert window.session is not None
    register(window.session.database, liters="80")
    register(window.session.database, "SCH-20251204-0002", liters="80")
    window.reload()
    window.select_code("SCH-20251204-0002")
    clock = ManualClock()
    window.wedge.uninstall()
    wedge = ScannerWedge(window.wedge.settings, clock=clock, parent=window)
    wedge.scanned.connect(window.scans.handle)
    wedge.install()
    keys = ScanKeyboard(clock.advance)
    focus = window.filters.search  # the operator was typing in the search box
    focus.setFocus()

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        assert dialog.loaded.code == CODE
        assert dialog.focusWidget() is dialog.liters
        dialog.liters.setText("12.5")
        keys.scan(dialog.order, "ORDER-20251204-0077")  # scanned while litres has focus
        # The window deletes the dialog once it closes, so read what it held as it finishes.
        dialog.finished.connect(lambda _result: orders_at_close.append(dialog.order.text()))
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, dialog.submit_button.click))

    orders_at_close: list[str] = []
    seen = _drive(window, in_dialog)
    keys.scan(focus, CODE)
    qtbot.waitUntil(lambda: bool(orders_at_close), timeout=5_000)
    assert focus.text() == ""  # no stray characters where the focus was
    assert len(seen) == 1
    assert orders_at_close == ["ORDER-20251204-0077"]
    last = window.session.history(CODE)[-1]
    assert (last.action, str(last.liters), last.order_id) == (
        AuditAction.CONSUME,
        "12.500",
        "ORDER-20251204-0077",
    )
    assert window.selected_code() == CODE
    outcomes = [window.scans.log_model.index(r, 2).data() for r in range(2)]
    assert outcomes[0].startswith("order ORDER-20251204-0077: filled")
    assert outcomes[1].startswith(f"batch {CODE}: consume dialog opened")
    wedge.uninstall()


def test_an_unknown_gs1_label_opens_register_prefilled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    expiry = (datetime.now(UTC) + timedelta(days=6)).strftime("%y%m%d")
    raw = f"]C1{'01'}09506000134352{'17'}{expiry}{'3152'}042050{'10'}SCH-20251204-0009"

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, RegisterDialog)
        assert dialog.code.text() == "SCH-20251204-0009"
        assert dialog.liters.text().replace(",", ".") == "420.5"
        assert dialog.shelf_life.value() in (5, 6)  # the label's date, counted from today
        assert dialog.ok_button.isEnabled()
        dialog.reject()

    seen = _drive(window, check)
    outcome = window.scans.handle(raw)
    assert outcome == "unknown batch SCH-20251204-0009: register dialog opened"
    qtbot.waitUntil(lambda: len(seen) == 1 and closed(seen[0]))


def test_an_unknown_plain_code_opens_register_with_the_code(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    codes: list[str] = []

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, RegisterDialog)
        codes.append(dialog.code.text())
        dialog.reject()

    _drive(window, check)
    window.scans.handle("SCH-20251204-0042\r\n")
    qtbot.waitUntil(lambda: codes == ["SCH-20251204-0042"])


def test_deleted_and_expired_batches_are_selected_with_a_message_not_opened(
    window: MainWindow,
) -> None:
    assert window.session is not None
    register(window.session.database)
    register(
        window.session.database,
        "SCH-20251204-0002",
        days=1,
        received=datetime.now(UTC) - timedelta(days=3),
    )
    window.session.delete(CODE, "sour")
    window.reload()
    opened: list[QWidget] = []
    window.dialog_opened.connect(opened.append)
    assert window.scans.handle(CODE).startswith(f"refused: Batch {CODE} is deleted")
    assert window.selected_code() == CODE  # revealed although deleted rows were hidden
    assert window.scans.handle("SCH-20251204-0002").startswith(
        "refused: Batch SCH-20251204-0002 has expired"
    )
    assert window.selected_code() == "SCH-20251204-0002"
    assert "has expired" in window.statusBar().currentMessage()
    assert opened == []


def test_garbage_is_refused_with_what_was_scanned_and_nothing_changes(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database)
    before = window.session.change_token()
    outcome = window.scans.handle("hello\x07world")
    assert outcome.startswith("refused:")
    assert "\\x07" in window.statusBar().currentMessage()
    assert window.session.change_token() == before
    assert "\\x07" in window.scans.log_model.index(0, 1).data()


def test_a_batch_scan_for_another_batch_inside_consume_asks_to_switch(
    qtbot,
    window: MainWindow,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QMessageBox

    assert window.session is not None
    register(window.session.database)
    register(window.session.database, "SCH-20251204-0002")
    window.reload()
    window.select_code(CODE)
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    opened: list[str] = []  # codes, read while each dialog is alive (closed ones are deleted)
    closed: list[str] = []

    def track(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        opened.append(dialog.loaded.code)
        dialog.finished.connect(lambda _result: closed.append(opened[-1]))
        if len(opened) == 1:
            QTimer.singleShot(0, lambda: window.scans.handle("SCH-20251204-0002"))
        else:
            QTimer.singleShot(0, dialog.reject)

    window.dialog_opened.connect(track)
    window.open_consume()
    qtbot.waitUntil(lambda: len(closed) == 2)
    assert "this dialog is for SCH-20251204-0001" in asked[0]
    assert opened == [CODE, "SCH-20251204-0002"]


def test_the_scan_box_takes_a_typed_code(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, RegisterDialog)
        dialog.reject()

    seen = _drive(window, check)
    window.scan_box.setText("SCH-20251204-0100")
    window.scan_box.returnPressed.emit()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert window.scan_box.text() == ""


def test_a_consume_opened_by_a_scan_names_the_scanned_code(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.session is not None
    register(window.session.database, liters="80")
    window.reload()
    qtbot.waitUntil(lambda: window.model.find(CODE) is not None)
    banners: list[str] = []

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        banners.append(dialog.scanned_banner.text() if dialog.scanned_banner.isVisible() else "")
        dialog.reject()

    seen = _drive(window, check)
    assert window.scans.handle(CODE) == f"batch {CODE}: consume dialog opened"
    qtbot.waitUntil(lambda: bool(seen) and closed(seen[0]), timeout=5_000)

    assert banners == [f"Scanned: {CODE}"]


def test_a_label_whose_expiry_has_passed_names_the_date_and_fills_no_shelf_life(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    expiry = datetime.now(UTC) - timedelta(days=3)
    raw = f"]C1{'17'}{expiry:%y%m%d}{'10'}SCH-20251204-0010"
    notes: list[tuple[str, int | None]] = []

    def check(dialog: QWidget) -> None:
        assert isinstance(dialog, RegisterDialog)
        notes.append((dialog.label_note.text(), dialog.shelf_life.chosen()))
        dialog.reject()

    seen = _drive(window, check)
    window.scans.handle(raw)
    qtbot.waitUntil(lambda: bool(seen) and closed(seen[0]), timeout=5_000)

    [(note, shelf_life)] = notes
    assert "expired on" in note
    assert shelf_life is None  # not an invented "1 days"


def test_status_lines_for_scans_are_short_and_point_to_the_scan_log(window: MainWindow) -> None:
    window.scans.handle("hello\x07world, a long piece of text that is not a code at all")
    message = window.statusBar().currentMessage()

    assert len(message) <= 90
    assert "Ctrl+Shift+L" in message
    full = window.scans.log_model.index(0, 2).data()
    assert full.startswith("refused:")
    assert len(full) > len(message)


def test_hash_stands_for_fnc1_only_while_this_pcs_switch_is_on(
    window: MainWindow,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from dairy_desktop.barcodes import scan_parse
    from dairy_desktop.barcodes.scan_results import UnknownScan
    from dairy_desktop.ui.preferences.scanner_settings import save_hash_is_fnc1

    substitutes: list[str | None] = []

    def parse(raw: str, **options: object) -> UnknownScan:
        substitutes.append(options["gs_substitute"])  # type: ignore[arg-type]
        return UnknownScan(raw, "test")

    monkeypatch.setattr(scan_parse, "parse_scan", parse)
    save_hash_is_fnc1(False)
    try:
        window.scans.handle("ABC#123")
    finally:
        save_hash_is_fnc1(True)
    window.scans.handle("ABC#123")

    assert substitutes == [None, "#"]
