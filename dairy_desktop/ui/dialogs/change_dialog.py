"""The shape every lifecycle dialog shares: one versioned change to one batch.

The dialog shows the batch as loaded, checks its fields as typed (a reason beside each, shown
once edited or once the primary button was pressed), and submits with the version it loaded
and one request id per submit. The change runs on a worker; while it is on its way the
dialog cannot be closed (SendingDialog). The answer comes back here:

* done: `batch_changed(Batch)` for the table, then `after_success()` (accept, by default);
* VersionConflict: `batch_changed(current)`, the conflict prompt with both states, and on
  Reload the dialog shows the current state (what was typed is kept) — or closes on Cancel;
* a refusal: said in the dialog's banner (or beside its field), the dialog stays open and
  the data is untouched.

Subclasses build their fields with `add_field()`, then call `finish()`; they give
`problems()`, `work()` (a callable of plain values for the worker) and `show_loaded()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DairyError, InvalidInput, VersionConflict
from dairy_desktop.ui.dialogs.batch_state_text import lifecycle_word
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.message_labels import field_error_label, message_banner

_STALE_STYLE = "color: #8a4b00; font-weight: bold;"


class ChangeDialog(SendingDialog):
    """`batch_changed(Batch)` whenever a newer state is learnt (success or conflict);
    `conflict_shown(ConflictPrompt)` just before the prompt opens (tests answer it)."""

    batch_changed = Signal(object)
    conflict_shown = Signal(object)

    def __init__(self, batch: Batch, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.loaded = batch
        self.outcome: object = None  # what the change returned, once it succeeded
        # The window's word for the batch's status as loaded (it knows the expiry bands);
        # after a reload the dialog says what it can tell from the batch alone.
        self._status_word: str | None = None
        self.request = SubmitId()  # re-sent by a retry of the same submit
        self._fields = FieldErrors()
        self.setMinimumWidth(460)

        self._layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.summary)
        self.stale_note = QLabel()
        self.stale_note.setObjectName("staleNote")
        self.stale_note.setWordWrap(True)
        self.stale_note.setStyleSheet(_STALE_STYLE)
        self.stale_note.hide()
        self._layout.addWidget(self.stale_note)
        self.form = QFormLayout()
        self._layout.addLayout(self.form)
        self.message = message_banner()

    # building (subclasses)
    @property
    def body(self) -> QVBoxLayout:
        """The dialog's column, for what is not a form row (a table of results)."""
        return self._layout

    def add_field(
        self, label: str, widget: QWidget, key: str, beside: QWidget | None = None
    ) -> QLabel:
        """A form row whose label's Alt+letter lands in `widget`, and its reason below."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        if beside is None:
            self.form.addRow(caption, widget)
        else:
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            row.addWidget(beside)
            self.form.addRow(caption, row)
        error = field_error_label(f"{key}Error")
        self.form.addRow("", error)
        self._fields.add(key, widget, error)
        return error

    def touched(self, key: str) -> Callable[..., None]:
        """A slot for a field's change signal: its reason may show now, and the next
        submit is a new change (an edited entry gets a new request id)."""

        def edited(*_args: object) -> None:
            self._fields.touch(key)
            self.request.settle()
            self.validate()

        return edited

    def finish(self, primary_text: str) -> None:
        """The banner and the buttons (Enter: the primary; Escape: cancel), then the state."""
        self._layout.addWidget(self.message)
        self.buttons, self.submit_button = primary_buttons(self, primary_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._layout.addWidget(self.buttons)
        keep_fitted(self)
        self.show_loaded()
        self.validate()

    @property
    def error_labels(self) -> dict[str, QLabel]:
        return self._fields.labels()

    # what subclasses say
    def show_loaded(self) -> None:
        """Show `self.loaded` (title, summary, fields that follow the state)."""
        raise NotImplementedError

    def problems(self) -> dict[str, str]:
        """Each invalid field's reason, by key; empty when the entry may be sent."""
        raise NotImplementedError

    def work(self, batch: Batch, request_id: str) -> Callable[[], Any]:
        """The change for the worker: it must hold plain values only (no widgets)."""
        raise NotImplementedError

    def confirmed(self) -> bool:
        """Asked after the fields pass and before sending (recall asks: it is final)."""
        return True

    def batch_of(self, outcome: Any) -> Batch:
        """The batch a successful change returned (most return the batch itself)."""
        assert isinstance(outcome, Batch)
        return outcome

    def after_success(self, outcome: Any) -> None:
        self.accept()

    # the state
    def show_status(self, word: str) -> None:
        """The status the window shows for the batch ("Expired"), for the summary."""
        self._status_word = word
        self.show_loaded()

    def summary_line(self, extra: str = "") -> str:
        b = self.loaded
        return (
            f"<b>{b.code}</b> — {self._status_word or lifecycle_word(b)}<br>Remaining: "
            f"<b>{format_decimal(b.remaining_liters, 3)} L</b> of "
            f"{format_decimal(b.initial_liters, 3)} L · version {b.version}{extra}"
        )

    def validate(self) -> None:
        self._fields.show(self.problems())

    def reload_with(self, current: Batch) -> None:
        """Show the current state, keeping what the operator typed, for a re-check."""
        self.loaded = current
        self._status_word = None  # the window's word was for the state first loaded
        self.request.settle()  # a change against the new state is a new change
        self.stale_note.hide()
        self.message.hide()
        self.show_loaded()
        self.validate()

    def mark_out_of_date(self, current: Batch) -> None:
        """Another PC changed this batch while the dialog is open: say so before submit."""
        if current.code != self.loaded.code or current.version == self.loaded.version:
            return
        self.stale_note.setText(
            f"This batch was changed on {current.updated_workstation or 'another PC'} by "
            f"{current.updated_by or 'someone'} (now version {current.version}). Submitting "
            "will ask you to reload first."
        )
        self.stale_note.show()

    # submit
    def submit(self) -> None:
        """Send the change, or (entry invalid) show the reasons and focus the first bad field."""
        if self._sending:
            return
        if not self._fields.attempt(self.problems()):
            return
        if not self.confirmed():
            return
        work = self.work(self.loaded, self.request.for_submit())
        self.submit_button.setEnabled(False)  # while this submit is in flight
        self._sending = True
        self.message.hide()
        self._runner.run(work, self._succeeded, self._failed)

    def _succeeded(self, outcome: object) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.submit_button.setEnabled(True)
        self.request.settle()
        self.outcome = outcome
        self.batch_changed.emit(self.batch_of(outcome))
        self.after_success(outcome)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.submit_button.setEnabled(True)
        self.request.after_failure(error)
        if isinstance(error, VersionConflict):
            self.batch_changed.emit(error.current)
            self._show_conflict(error.current)
            return
        if may_have_landed(error):
            self.show_message(
                f"{error} Your entry is kept; submit again when it is back (it is recorded "
                "once, however often you submit)."
            )
            return
        if isinstance(error, InvalidInput) and error.field in self.error_labels:
            self._fields.show_one(error.field, str(error))
            return
        if isinstance(error, DairyError):
            self.show_message(str(error))
            return
        self.show_message(f"Unexpected error: {error}. Nothing was saved.")

    def _show_conflict(self, current: Batch) -> None:
        prompt = ConflictPrompt(self.loaded, current, self)
        self.conflict_shown.emit(prompt)
        if prompt.exec() == QDialog.DialogCode.Accepted:
            self.reload_with(current)
        else:
            self.reject()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
