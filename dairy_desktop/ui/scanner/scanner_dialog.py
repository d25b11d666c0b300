"""The "Scanner" dialog: this PC's scanner settings, and a page to test a scanner on.

While it is open the wedge recognises scans as usual but does not route them (no dialog
opens, nothing is consumed): the test area shows what arrived instead. Settings changed in
the form take effect at once for the test; OK keeps them for this PC, Cancel puts the old
ones back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.ui.scanner.burst import BurstReport
from dairy_desktop.ui.scanner.keys import KeyRole, classify, marker_of
from dairy_desktop.ui.scanner.scan_advice import LoneKey, advise, describe, per_key
from dairy_desktop.ui.scanner.stored_settings import (
    hash_is_fnc1,
    save_hash_is_fnc1,
    save_wedge_settings,
)
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import Marker, Terminator, WedgeSettings
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons

_TERMINATOR_TEXT = {
    Terminator.ENTER: "Enter (CR)",
    Terminator.TAB: "Tab",
    Terminator.CR_LF: "CR + LF",
    Terminator.LF: "LF (Ctrl+J)",
}
_KEEP_LONE_KEYS = 20


class ScanTestArea(QFrame):
    """Takes the focus and every key that reaches it, so a test scan's Enter (when it was
    not recognised) cannot press OK; remembers the non-character keys with their times."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanTestArea")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(60)
        layout = QVBoxLayout(self)
        self.prompt = QLabel("Click here, then scan any barcode.")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.prompt)
        self.lone_keys: list[LoneKey] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            event.ignore()  # Escape cancels the dialog; Alt+letter reaches its fields
            return
        role, _chars = classify(event)
        if role is not KeyRole.DATA and role is not KeyRole.NEUTRAL:
            name = QKeySequence(event.keyCombination()).toString() or f"key {event.key():#x}"
            self.lone_keys.append(LoneKey(name, event.timestamp(), marker_of(event)))
            del self.lone_keys[:-_KEEP_LONE_KEYS]
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.prompt.setText("Ready: scan any barcode now.")
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.prompt.setText("Click here, then scan any barcode.")
        super().focusOutEvent(event)


class ScannerSettingsDialog(QDialog):
    def __init__(self, wedge: ScannerWedge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scanner")
        self.setObjectName("scannerSettings")
        self._wedge = wedge
        self._original = wedge.settings
        self._was_routing = wedge.is_routing()
        self._build(wedge.settings)
        wedge.set_routing(False)
        wedge.burst_ended.connect(self._show_burst)
        self.finished.connect(self._restore)

    # layout

    def _build(self, settings: WedgeSettings) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.max_gap = QSpinBox()
        self.max_gap.setRange(1, 1000)
        self.max_gap.setSuffix(" ms")
        self.max_gap.setValue(settings.max_gap_ms)
        self.max_gap.setToolTip("The longest pause between two keys of one scan.")
        form.addRow("Max gap between keys:", self.max_gap)
        self.min_length = QSpinBox()
        self.min_length.setRange(2, 200)  # one key is any key a person types
        self.min_length.setValue(settings.min_length)
        form.addRow("Shortest scan:", self.min_length)
        ends = QHBoxLayout()
        self.terminators: dict[Terminator, QCheckBox] = {}
        for terminator, text in _TERMINATOR_TEXT.items():
            box = QCheckBox(text)
            box.setChecked(terminator in settings.terminators)
            self.terminators[terminator] = box
            ends.addWidget(box)
        form.addRow("Scan ends with:", ends)
        self.prefix = self._marker_box(settings.prefix, "Off (tell scans by timing)")
        form.addRow("Prefix:", self.prefix)
        self.suffix = self._marker_box(settings.suffix, "None")
        form.addRow("Suffix:", self.suffix)
        self.hash_fnc1 = QCheckBox("'#' stands for FNC1 (GS)")
        self.hash_fnc1.setChecked(hash_is_fnc1())
        self.hash_fnc1.setToolTip(
            "For scanners that cannot type the GS character of GS1 labels. Turn off if your "
            "scanner types GS itself and your codes contain '#'."
        )
        form.addRow("", self.hash_fnc1)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("scannerProblem")
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

        test = QGroupBox("Test your scanner")
        test_layout = QVBoxLayout(test)
        self.test_area = ScanTestArea()
        test_layout.addWidget(self.test_area)
        self.results = QPlainTextEdit()
        self.results.setObjectName("scanTestResults")
        self.results.setReadOnly(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMinimumHeight(140)
        test_layout.addWidget(self.results)
        self.advice = QLabel()
        self.advice.setObjectName("scanAdvice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("font-weight: bold;")
        test_layout.addWidget(self.advice)
        layout.addWidget(test)

        self.buttons, self.ok_button = primary_buttons(self, "OK")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for spin in (self.max_gap, self.min_length):
            spin.valueChanged.connect(self._try)
        for box in (*self.terminators.values(), self.hash_fnc1):
            box.toggled.connect(self._try)
        for combo in (self.prefix, self.suffix):
            combo.currentIndexChanged.connect(self._try)
        self.resize(560, 560)
        self.test_area.setFocus()

    def _marker_box(self, current: Marker | None, none_text: str) -> QComboBox:
        box = QComboBox()
        box.addItem(none_text, None)
        for marker in Marker:
            box.addItem(marker.label, marker.value)
        box.setCurrentIndex(max(0, box.findData(current.value if current else None)))
        return box

    # the settings in the form

    def chosen(self) -> WedgeSettings:
        """The form's settings; ValueError says what is wrong with them."""
        return WedgeSettings(
            max_gap_ms=self.max_gap.value(),
            min_length=self.min_length.value(),
            terminators=frozenset(t for t, box in self.terminators.items() if box.isChecked()),
            prefix=self.prefix.currentData(),
            suffix=self.suffix.currentData(),
        )

    def _try(self) -> None:
        """Changes take effect at once, so the test area tests what is on screen."""
        try:
            settings = self.chosen()
        except ValueError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.problem.hide()
        self._wedge.set_settings(settings)

    def save(self) -> None:
        try:
            settings = self.chosen()
        except ValueError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        save_wedge_settings(settings)
        save_hash_is_fnc1(self.hash_fnc1.isChecked())
        self._original = settings
        self.accept()

    def _restore(self) -> None:
        self._wedge.burst_ended.disconnect(self._show_burst)
        self._wedge.set_settings(self._original)  # what was saved, or what was there before
        self._wedge.set_routing(self._was_routing)

    # the test page

    def _show_burst(self, report: object) -> None:
        if not isinstance(report, BurstReport):
            return
        lines = [describe(report), f"   per key (ms since the one before): {per_key(report)}"]
        lone = self.test_area.lone_keys
        if lone:
            lines.insert(0, "keys before it: " + ", ".join(key.name for key in lone[-3:]))
        self.results.appendPlainText("\n".join(lines))
        self.advice.setText(advise(report, lone, self._wedge.settings))
        lone.clear()
