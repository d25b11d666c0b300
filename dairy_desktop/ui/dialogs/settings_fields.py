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
    if secret_store.scheme() == "dpapi":
        return "Saved encrypted for your Windows account, not in the settings file."
    return "Saved in a private file only you can read, not in the settings file."
