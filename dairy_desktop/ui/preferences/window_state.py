"""Window geometry, column widths, sort order and splitter, remembered per PC user."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from dairy_desktop.config import paths


def ui_settings() -> QSettings:
    path = paths.config_dir() / "window.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def save_bytes(key: str, value: QByteArray) -> None:
    ui_settings().setValue(key, value)


def load_bytes(key: str) -> QByteArray | None:
    value = ui_settings().value(key)
    return value if isinstance(value, QByteArray) else None
