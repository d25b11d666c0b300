"""Enter presses the primary button, Escape cancels, Cancel never becomes the default."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons, secondary_button


class _Form(QDialog):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.field = QLineEdit()
        layout.addWidget(self.field)
        self.extra = secondary_button(QPushButton("&All remaining"))
        layout.addWidget(self.extra)
        self.box, self.primary = primary_buttons(self, "&Save", cancel_text="&Close")
        self.cancel = self.box.button(QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(self.box)
        self.pressed: list[str] = []
        self.box.accepted.connect(lambda: self.pressed.append("primary"))
        self.box.rejected.connect(self.reject)
        self.extra.clicked.connect(lambda: self.pressed.append("extra"))


@pytest.fixture
def form(qtbot) -> _Form:  # type: ignore[no-untyped-def]
    dialog = _Form()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.field.setFocus()
    return dialog


def test_the_primary_is_the_default_when_shown_and_cancel_is_not(form: _Form) -> None:
    assert form.primary.isDefault()
    assert not form.cancel.isDefault()
    assert form.cancel.text() == "&Close"


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_a_field_presses_the_primary(qtbot, form: _Form, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(form.field, "12")
    qtbot.keyClick(form.field, key)
    assert form.pressed == ["primary"]
    assert form.isVisible()


def test_focus_passing_over_cancel_and_other_buttons_leaves_the_primary_default(
    qtbot,  # type: ignore[no-untyped-def]
    form: _Form,
) -> None:
    for button in (form.cancel, form.extra, form.primary):
        button.setFocus()
        assert form.primary.isDefault()
        assert button.hasFocus()
        assert not form.cancel.isDefault()
        assert not form.extra.isDefault()
    form.field.setFocus()
    qtbot.keyClick(form.field, Qt.Key.Key_Return)
    assert form.pressed == ["primary"]


def test_enter_on_a_focused_secondary_button_presses_that_button(qtbot, form: _Form) -> None:  # type: ignore[no-untyped-def]
    form.extra.setFocus()
    qtbot.keyClick(form.extra, Qt.Key.Key_Return)
    assert form.pressed == ["extra"]


def test_enter_on_focused_cancel_cancels(qtbot, form: _Form) -> None:  # type: ignore[no-untyped-def]
    form.cancel.setFocus()
    qtbot.keyClick(form.cancel, Qt.Key.Key_Return)
    assert form.pressed == []
    assert form.result() == QDialog.DialogCode.Rejected
    assert not form.isVisible()


def test_escape_cancels(qtbot, form: _Form) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(form.field, "12")
    qtbot.keyClick(form.field, Qt.Key.Key_Escape)
    assert form.pressed == []
    assert form.result() == QDialog.DialogCode.Rejected
    assert not form.isVisible()


def test_the_old_way_let_cancel_take_the_default_which_is_why_this_module_exists(
    qtbot,  # type: ignore[no-untyped-def]
) -> None:
    """setDefault(True) before the box is in the dialog: Qt makes Cancel default on show."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLineEdit())
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = box.addButton("OK", QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    layout.addWidget(box)
    dialog.show()
    assert box.button(QDialogButtonBox.StandardButton.Cancel).isDefault()
    assert not ok.isDefault()
