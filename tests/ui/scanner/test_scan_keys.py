"""Which key events may belong to a scan, which end one, and which are surely typing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from dairy_desktop.ui.scanner.keys import KeyRole, classify

Key = Qt.Key
Mod = Qt.KeyboardModifier
NONE = Mod.NoModifier


def press(key: Key, text: str = "", mods: Mod = NONE, *, repeat: bool = False) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, mods, text, repeat)


@pytest.mark.parametrize(
    ("event", "role", "chars"),
    [
        (press(Key.Key_A, "a"), KeyRole.DATA, "a"),
        (press(Key.Key_A, "A", Mod.ShiftModifier), KeyRole.DATA, "A"),
        (press(Key.Key_5, "5", Mod.KeypadModifier), KeyRole.DATA, "5"),
        (press(Key.Key_Minus, "-"), KeyRole.DATA, "-"),
        (press(Key.Key_Space, " "), KeyRole.DATA, " "),
        (press(Key.Key_At, "@", Mod.ControlModifier | Mod.AltModifier), KeyRole.DATA, "@"),
        (press(Key.Key_BracketRight, "\x1d", Mod.ControlModifier), KeyRole.DATA, "\x1d"),
        (press(Key.Key_BracketRight, "", Mod.ControlModifier), KeyRole.DATA, "\x1d"),
        (press(Key.Key_unknown, "\x1e"), KeyRole.DATA, "\x1e"),
        (press(Key.Key_Return, "\r"), KeyRole.ENTER, ""),
        (press(Key.Key_Enter, "\r", Mod.KeypadModifier), KeyRole.ENTER, ""),
        (press(Key.Key_Tab, "\t"), KeyRole.TAB, ""),
        (press(Key.Key_J, "\n", Mod.ControlModifier), KeyRole.LF, ""),
        (press(Key.Key_J, "", Mod.ControlModifier), KeyRole.LF, ""),
        (press(Key.Key_Shift), KeyRole.NEUTRAL, ""),
        (press(Key.Key_Control), KeyRole.NEUTRAL, ""),
        (press(Key.Key_CapsLock), KeyRole.NEUTRAL, ""),
        (press(Key.Key_2, "", Mod.AltModifier | Mod.KeypadModifier), KeyRole.NEUTRAL, ""),
        (press(Key.Key_A, "\x01", Mod.ControlModifier), KeyRole.OTHER, ""),
        (press(Key.Key_F, "f", Mod.AltModifier), KeyRole.OTHER, ""),
        (press(Key.Key_Backspace, "\b"), KeyRole.OTHER, ""),
        (press(Key.Key_Escape, "\x1b"), KeyRole.OTHER, ""),
        (press(Key.Key_Left), KeyRole.OTHER, ""),
        (press(Key.Key_F5), KeyRole.OTHER, ""),
        (press(Key.Key_Backtab, "", Mod.ShiftModifier), KeyRole.OTHER, ""),
        (press(Key.Key_A, "a", repeat=True), KeyRole.OTHER, ""),
    ],
    ids=lambda value: repr(value) if isinstance(value, str) else None,
)
def test_each_key_has_its_role(
    qapp: QApplication, event: QKeyEvent, role: KeyRole, chars: str
) -> None:
    assert classify(event) == (role, chars)
