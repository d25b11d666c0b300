"""The Settings dialog's ready-made pieces: the time-zone picker and the password note."""

from __future__ import annotations

import zoneinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from dairy_desktop.config import secret_store


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
