"""Record one lab result for a batch: the test, pass or fail, who ran it, the kit, the sample.

The dialog shows the batch, the plant's required tests and the results recorded so far
(loaded on a worker as it opens); the test offered first is the first required test without
a pass. A fail rejects the batch for good, and the dialog says so as soon as Fail is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.qa import QaResult, qa_record, validate_test_name
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import LifecycleCalls, QaEntry
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.time_format import local_time_text

RESULT_COLUMNS = ["When", "Test", "Result", "Analyst", "Kit", "Sample", "Note"]
_FAIL_STYLE = "color: #b23c00; font-weight: bold;"


def qa_events(history: list[AuditEvent]) -> list[AuditEvent]:
    return [event for event in history if event.action is AuditAction.QA]


def passed_tests(results: list[AuditEvent]) -> set[str]:
    return {e.qa_test for e in results if e.qa_result == QaResult.PASS and e.qa_test}


def first_test_due(required: tuple[str, ...], results: list[AuditEvent]) -> str:
    """The first required test without a pass (the first one if all have passed)."""
    done = passed_tests(results)
    return next((name for name in required if name not in done), required[0] if required else "")


class QaDialog(ChangeDialog):
    def __init__(
        self,
        batch: Batch,
        settings: PlantSettings,
        operator: str,
        calls: LifecycleCalls,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(batch, runner, parent)
        self._calls = calls
        self.setObjectName("qaDialog")
        self.setMinimumWidth(560)
        try:
            self._required = settings.required_tests
        except InvalidInput:  # a stored list no longer valid: offer the default's test
            self._required = ("beta-lactam",)
        self.results: list[AuditEvent] = []
        self._test_chosen = False  # the operator picked or typed a test: keep it

        self.required_note = QLabel()
        self.required_note.setObjectName("requiredNote")
        self.required_note.setWordWrap(True)
        self.body.insertWidget(1, self.required_note)
        self.results_table = QTableWidget(0, len(RESULT_COLUMNS))
        self.results_table.setObjectName("qaResults")
        self.results_table.setHorizontalHeaderLabels(RESULT_COLUMNS)
        self.results_table.verticalHeader().hide()
        self.results_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results_table.horizontalHeader().setStretchLastSection(True)
        self.results_table.setMaximumHeight(120)
        self.results_table.hide()
        self.body.insertWidget(2, self.results_table)

        self.test = QComboBox()
        self.test.setObjectName("test")
        self.test.setEditable(True)  # another test than the required ones may be recorded
        self.test.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.test.addItems(list(self._required))
        # No inline completion: it would take the first Enter to accept a completion, and
        # Enter here records the result like everywhere else (the list is a few names).
        self.test.setCompleter(None)  # type: ignore[arg-type]  # None: no completer (Qt API)
        self.add_field("&Test:", self.test, "test")

        self.pass_radio = QRadioButton("&Pass")
        self.pass_radio.setObjectName("pass")
        self.fail_radio = QRadioButton("&Fail")
        self.fail_radio.setObjectName("fail")
        self._result_group = QButtonGroup(self)
        self._result_group.addButton(self.pass_radio)
        self._result_group.addButton(self.fail_radio)
        result_row = QHBoxLayout()
        result_row.addWidget(self.pass_radio)
        result_row.addWidget(self.fail_radio)
        result_row.addStretch(1)
        result_box = QWidget()
        result_box.setLayout(result_row)
        result_row.setContentsMargins(0, 0, 0, 0)
        result_box.setFocusProxy(self.pass_radio)
        self.add_field("Result:", result_box, "result")
        self.fail_note = QLabel(
            "A fail rejects this batch for good: it can never be used, only disposed as a "
            "rejected load."
        )
        self.fail_note.setObjectName("failNote")
        self.fail_note.setWordWrap(True)
        self.fail_note.setStyleSheet(_FAIL_STYLE)
        self.fail_note.hide()
        self.form.addRow("", self.fail_note)

        self.analyst = QLineEdit(operator)
        self.analyst.setObjectName("analyst")
        self.add_field("&Analyst:", self.analyst, "analyst")
        self.kit = QLineEdit()
        self.kit.setObjectName("kit")
        self.kit.setPlaceholderText("optional, e.g. SNAP Beta-Lactam lot 4471")
        self.add_field("&Kit:", self.kit, "kit")
        self.sample_id = QLineEdit()
        self.sample_id.setObjectName("sampleId")
        self.sample_id.setPlaceholderText("optional, e.g. S-0419")
        self.add_field("&Sample id:", self.sample_id, "sample_id")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText("optional")
        self.add_field("&Note:", self.note, "note")

        self.test.editTextChanged.connect(self.touched("test"))
        self.test.editTextChanged.connect(self._test_edited)
        self._result_group.buttonToggled.connect(self.touched("result"))
        self._result_group.buttonToggled.connect(self._result_chosen)
        self.analyst.textChanged.connect(self.touched("analyst"))
        self.kit.textChanged.connect(self.touched("kit"))
        self.sample_id.textChanged.connect(self.touched("sample_id"))
        self.note.textChanged.connect(self.touched("note"))
        self._filling = False
        self.finish("&Record result")
        self._choose_test(first_test_due(self._required, []))
        self.load_results()
        self.test.setFocus()

    # opened by a scan: the code in large type, as the consume dialog does
    def show_opened_by_scan(self, code: str) -> None:
        self.summary.setText(
            f"<span style='font-size:large'><b>Scanned: {code}</b></span><br>" + self.summary_line()
        )

    def show_loaded(self) -> None:
        self.setWindowTitle(f"QA result — {self.loaded.code}")
        self.summary.setText(self.summary_line())
        self._show_required()

    def _show_required(self) -> None:
        done = passed_tests(self.results)
        marks = ", ".join(
            f"{name} {'✔ passed' if name in done else '— not passed yet'}"
            for name in self._required
        )
        self.required_note.setText(f"Required tests: {marks}.")

    # the results so far (history read on a worker)
    def load_results(self) -> None:
        calls, code = self._calls, self.loaded.code
        self._runner.run(lambda: calls.history(code), self._results_loaded, self._results_failed)

    def _results_loaded(self, history: list[AuditEvent]) -> None:
        if not shiboken6.isValid(self):
            return
        self.results = qa_events(history)
        table = self.results_table
        table.setRowCount(len(self.results))
        for row, event in enumerate(self.results):
            cells = [
                local_time_text(event.at),
                event.qa_test or "",
                event.qa_result or "",
                event.qa_analyst or "",
                event.qa_kit or "",
                event.qa_sample_id or "",
                event.reason or "",
            ]
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.setVisible(bool(self.results))
        self._show_required()
        if not self._test_chosen:
            self._choose_test(first_test_due(self._required, self.results))

    def _results_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self.required_note.setText(
                f"{self.required_note.text()} (Earlier results could not be loaded: {error})"
            )

    def _choose_test(self, name: str) -> None:
        self._filling = True
        try:
            self.test.setEditText(name)
        finally:
            self._filling = False

    def _test_edited(self, _text: str) -> None:
        if not self._filling:
            self._test_chosen = True

    def _result_chosen(self, *_args: object) -> None:
        self.fail_note.setVisible(self.fail_radio.isChecked())

    def reload_with(self, current: Batch) -> None:
        super().reload_with(current)
        self.load_results()

    # the entry
    def chosen_result(self) -> QaResult | None:
        if self.pass_radio.isChecked():
            return QaResult.PASS
        if self.fail_radio.isChecked():
            return QaResult.FAIL
        return None

    def entry(self) -> QaEntry:
        result = self.chosen_result()
        return QaEntry(
            test=self.test.currentText().strip(),
            result=result.value if result else "",
            analyst=self.analyst.text().strip(),
            kit=self.kit.text().strip() or None,
            sample_id=self.sample_id.text().strip() or None,
            note=self.note.text().strip() or None,
        )

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        entry = self.entry()
        try:
            validate_test_name(entry.test)
        except InvalidInput as problem:
            found["test"] = str(problem)
        if self.chosen_result() is None:
            found["result"] = "Choose Pass or Fail (Alt+P, Alt+F)."
        try:
            qa_record(test="t", result="pass", analyst=entry.analyst)
        except InvalidInput as problem:
            found["analyst"] = str(problem)
        optional = {"kit": entry.kit, "sample_id": entry.sample_id, "note": entry.note}
        for key, value in optional.items():
            try:
                qa_record(test="t", result="pass", analyst="a", **{key: value})
            except InvalidInput as problem:
                found[key] = str(problem)
        return found

    def work(self, batch: Batch, request_id: str) -> Callable[[], Any]:
        calls, code, version, entry = self._calls, batch.code, batch.version, self.entry()
        return lambda: calls.record_qa(code, entry, expected_version=version, request_id=request_id)
