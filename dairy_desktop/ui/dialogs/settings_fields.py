"""The Settings dialog's ready-made pieces: the time-zone picker, the password note and
the note saying who changes are recorded as."""

from __future__ import annotations

import os
import zoneinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from dairy_desktop.config import secret_store
from dairy_desktop.config.local_settings import OPERATOR_ENV


def time_zone_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(sorted(zoneinfo.available_timezones()))
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "berl" finds Europe/Berlin
    combo.setCompleter(completer)
    return combo


def password_note() -> str:
    """Where the password goes on this PC, saying plainly when that is not encrypted."""
    return secret_store.storage_description()


def operator_note(in_use: str | None, *, saved: str | None, os_login: str) -> str:
    """Who changes are recorded as now, and why that is not the name saved here when it is
    not (--operator or the environment variable win over the settings file)."""
    if not in_use:
        return ""
    note = f"Changes are recorded as “{in_use}” now"
    if in_use == (saved or os_login):
        return note + "."
    if os.environ.get(OPERATOR_ENV, "").strip() == in_use:
        source = f"{OPERATOR_ENV} is set on this PC"
    else:
        source = "Dairy Desktop was started with --operator"
    return f"{note}: {source}, which overrides the name saved here."
