"""The PC's number format for a test: QLocale's default, set and put back."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QLocale


def default_locale(name: str) -> Iterator[None]:
    """For a fixture: ``yield from default_locale("de_DE")``."""
    previous = QLocale()
    QLocale.setDefault(QLocale(name))
    yield
    QLocale.setDefault(previous)
