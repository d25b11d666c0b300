"""Drive a window with the keyboard alone, as a person would: keys go to whatever has focus.

``Keyboard`` types into ``QApplication.focusWidget()`` (never into a widget picked by the
test), one key at a time, at a person's pace on a ``ManualClock``: the window's scanner
wedge, built on that clock, sees typing and replays it, never a scan, however fast the
test machine sends the keys. Shortcuts go the same way, so they reach the window exactly
as Qt routes a real key press.

A key that opens a modal dialog blocks in its ``exec()`` until the dialog closes, so what
the person does in the dialog is said *before* the key: ``keyboard.in_next_modal(act)``
runs ``act(dialog)`` inside the dialog's own event loop once it is the active window with
the focus in it, and ``Pending.check()`` afterwards re-raises what failed in there (the
dialog is rejected on failure, so a broken test never hangs).

The offscreen platform has no window manager: when a dialog closes, no window becomes
active again and shortcuts would go nowhere. ``focus()`` then does what a desktop's window
manager does, activating the window the person was using (the same happens on a bare Xvfb
without a window manager; run one there, e.g. openbox, to drive the real app with xdotool).
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.support.keystrokes import ManualClock, ScanKeyboard

PERSON_GAP_MS = 180
"""Between two keys of a person typing: far above any scanner's pace (2-10 ms)."""
MODAL_TIMEOUT_S = 5.0
_POLL_MS = 5


class NoFocus(AssertionError):
    """A key was due and no widget had the keyboard focus."""


@dataclass
class Pending:
    """What ``in_next_modal`` saw: the dialog it drove and anything that failed in it."""

    what: str
    dialog: QWidget | None = None
    done: bool = False
    checked: bool = False
    errors: list[BaseException] = field(default_factory=list)

    def check(self) -> QWidget:
        """The driven dialog; raises what failed inside it, or says it never opened."""
        self.checked = True  # a dialog that opens later is no longer this one
        if self.errors:
            raise self.errors[0]
        if self.dialog is None:
            raise AssertionError(f"no modal dialog opened for {self.what}")
        if not self.done:
            raise AssertionError(f"{self.what}: the dialog opened but was not driven")
        return self.dialog


class Keyboard:
    def __init__(
        self, clock: ManualClock, main_window: QWidget, gap_ms: int = PERSON_GAP_MS
    ) -> None:
        self.clock = clock
        self.main_window = main_window
        self._home: QWidget = main_window  # the last active window that is not a dialog
        self.gap_ms = gap_ms
        self._keys = ScanKeyboard(clock.advance)

    def focus(self) -> QWidget:
        """The focused widget; after a window closed, first what a window manager does."""
        widget = QApplication.focusWidget()
        active = QApplication.activeWindow()
        if active is not None and not isinstance(active, QDialog):
            self._home = active
        if widget is None and active is None:
            widget = self._window_manager()
        if widget is None:
            raise NoFocus("no widget has the keyboard focus")
        return widget

    def _window_manager(self) -> QWidget | None:
        """When a dialog closes, a desktop's window manager activates the window under it;
        the offscreen platform has none and leaves no window active. Activate the window a
        person would be looking at (the dialog still open, else the window last used) and
        wait for Qt to give its focus widget the focus back."""
        home = self._home if self._home.isVisible() else self.main_window
        window = QApplication.activeModalWidget() or home
        window.activateWindow()
        deadline = time.monotonic() + MODAL_TIMEOUT_S
        while time.monotonic() < deadline:
            focus = QApplication.focusWidget()
            if focus is not None and (focus is window or window.isAncestorOf(focus)):
                return focus
            if QApplication.activeWindow() is window and focus is None:
                return window  # active, nothing inside it takes focus: keys go to it
            QTest.qWait(_POLL_MS)
        return None

    def type(self, text: str) -> None:
        """Each character to the widget focused at that moment, a person's pause apart."""
        for ch in text:
            self.clock.advance(self.gap_ms)
            self._keys.char(self.focus(), ch)

    def press(
        self,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        """One key (or shortcut) to the focused widget, as Qt delivers it: shortcuts first."""
        self.clock.advance(self.gap_ms)
        QTest.keyClick(self.focus(), key, modifiers)

    def enter(self) -> None:
        self.press(Qt.Key.Key_Return)

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.press(Qt.Key.Key_Tab)

    def in_next_modal(
        self,
        what: str,
        act: Callable[[QWidget], None],
        *,
        kind: builtins.type[QWidget] = QDialog,
    ) -> Pending:
        """Run ``act(dialog)`` in the next modal dialog of ``kind`` once it has the focus."""
        pending = Pending(what)
        before = QApplication.activeModalWidget()
        deadline = time.monotonic() + MODAL_TIMEOUT_S

        def poll() -> None:
            if pending.checked:
                return
            modal = QApplication.activeModalWidget()
            focus = QApplication.focusWidget()
            ready = (
                modal is not None
                and modal is not before
                and isinstance(modal, kind)
                and QApplication.activeWindow() is modal
                and focus is not None
                and modal.isAncestorOf(focus)
            )
            if not ready:
                if time.monotonic() > deadline:
                    pending.errors.append(AssertionError(f"{what}: no focused {kind.__name__}"))
                    if isinstance(modal, QDialog) and modal is not before:
                        modal.reject()
                    return
                QTimer.singleShot(_POLL_MS, poll)
                return
            assert modal is not None
            pending.dialog = modal
            try:
                act(modal)
                pending.done = True
            except BaseException as error:  # re-raised by check(), outside the dialog's loop
                pending.errors.append(error)
                if isinstance(modal, QDialog) and modal.isVisible():
                    modal.reject()

        QTimer.singleShot(0, poll)
        return pending
