"""What one key press means to the wedge, decided from the Qt event alone."""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from dairy_desktop.ui.scanner.wedge_settings import Marker

_Key = Qt.Key
_Mod = Qt.KeyboardModifier

_MODIFIER_KEYS = frozenset(
    {
        _Key.Key_Shift,
        _Key.Key_Control,
        _Key.Key_Alt,
        _Key.Key_AltGr,
        _Key.Key_Meta,
        _Key.Key_Super_L,
        _Key.Key_Super_R,
        _Key.Key_Hyper_L,
        _Key.Key_Hyper_R,
        _Key.Key_CapsLock,
        _Key.Key_NumLock,
        _Key.Key_ScrollLock,
    }
)
_DIGIT_KEYS = frozenset(int(_Key.Key_0) + n for n in range(10))
# Control characters GS1 scanners type as data: GS (FNC1), RS and EOT (ISO 15434 envelope).
_DATA_CONTROLS = frozenset("\x1d\x1e\x04")


class KeyRole(Enum):
    NEUTRAL = auto()
    """Modifier keys and Windows Alt+numpad digits: let through, change nothing."""
    DATA = auto()
    """A character that may belong to a scan."""
    ENTER = auto()
    TAB = auto()
    LF = auto()
    OTHER = auto()
    """Anything else (navigation, shortcuts, auto-repeat): certainly typing."""


def classify(event: QKeyEvent) -> tuple[KeyRole, str]:
    """The key's role and, for DATA, the characters it adds to a scan."""
    key = event.key()
    text = event.text()
    mods = event.modifiers()
    ctrl = bool(mods & _Mod.ControlModifier)
    alt = bool(mods & _Mod.AltModifier)
    if key in _MODIFIER_KEYS:
        return KeyRole.NEUTRAL, ""
    if event.isAutoRepeat():
        return KeyRole.OTHER, ""  # a held key is a person; scanners never auto-repeat
    if key in (_Key.Key_Return, _Key.Key_Enter):
        return KeyRole.ENTER, ""
    if key == _Key.Key_Tab and not (ctrl or alt):
        return KeyRole.TAB, ""
    if text == "\n" or (key == _Key.Key_J and ctrl and not alt):
        return KeyRole.LF, ""
    if text and all(ch in _DATA_CONTROLS for ch in text):
        return KeyRole.DATA, text
    if key == _Key.Key_BracketRight and ctrl and not alt and not text:
        return KeyRole.DATA, "\x1d"  # Ctrl+] is how a keyboard types GS
    if not text and alt and mods & _Mod.KeypadModifier and key in _DIGIT_KEYS:
        # Alt+numpad digits compose one character on Windows, delivered on Alt release.
        return KeyRole.NEUTRAL, ""
    if text and text.isprintable() and not _is_shortcut(mods):
        return KeyRole.DATA, text
    return KeyRole.OTHER, ""


_FUNCTION_MARKERS = {
    _Key.Key_F9: Marker.F9,
    _Key.Key_F10: Marker.F10,
    _Key.Key_F11: Marker.F11,
    _Key.Key_F12: Marker.F12,
}
_CONTROL_MARKERS = {"\x02": Marker.STX, "\x03": Marker.ETX}
_CTRL_LETTER_MARKERS = {_Key.Key_B: Marker.STX, _Key.Key_C: Marker.ETX}


def marker_of(event: QKeyEvent) -> Marker | None:
    """The prefix/suffix key this press is, if any (F9-F12 unmodified, STX, ETX)."""
    key = event.key()
    mods = event.modifiers() & ~_Mod.KeypadModifier
    if key in _FUNCTION_MARKERS and mods == _Mod.NoModifier:
        return _FUNCTION_MARKERS[_Key(key)]
    text = event.text()
    if text in _CONTROL_MARKERS:
        return _CONTROL_MARKERS[text]
    if key in _CTRL_LETTER_MARKERS and mods == _Mod.ControlModifier:
        return _CTRL_LETTER_MARKERS[_Key(key)]
    return None


def _is_shortcut(mods: Qt.KeyboardModifier) -> bool:
    """Ctrl or Alt alone (or Meta) means a shortcut; Ctrl+Alt together is AltGr on Windows."""
    ctrl = bool(mods & _Mod.ControlModifier)
    alt = bool(mods & _Mod.AltModifier)
    return bool(mods & _Mod.MetaModifier) or ctrl != alt
