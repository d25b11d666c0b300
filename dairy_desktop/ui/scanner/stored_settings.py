"""Scanner timing, terminator, prefix/suffix and the '#' for FNC1 switch, per PC
(scanners differ between desks), kept in the PC's window.ini next to the window state.

Here rather than in ui/preferences so the scanner dialog can save without ui/scanner and
ui/preferences importing each other; ui/preferences/scanner_settings.py re-exports it."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from dairy_desktop.config import paths
from dairy_desktop.ui.scanner.wedge_settings import Marker, Terminator, WedgeSettings

_HASH_KEY = "scanner/hash_is_fnc1"


def ui_settings() -> QSettings:
    """The same file as ui/preferences/window_state.ui_settings()."""
    path = paths.config_dir() / "window.ini"
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def load_wedge_settings() -> WedgeSettings:
    stored = ui_settings()
    defaults = WedgeSettings()
    try:
        names = str(stored.value("scanner/terminators", "enter")).split(",")
        return WedgeSettings(
            max_gap_ms=int(str(stored.value("scanner/max_gap_ms", defaults.max_gap_ms))),
            min_length=int(str(stored.value("scanner/min_length", defaults.min_length))),
            terminators=frozenset(Terminator(n.strip()) for n in names if n.strip()),
            prefix=_marker(stored, "scanner/prefix"),
            suffix=_marker(stored, "scanner/suffix"),
        )
    except (ValueError, TypeError):  # a hand-edited file must not stop scanning
        return defaults


def save_wedge_settings(settings: WedgeSettings) -> None:
    stored = ui_settings()
    stored.setValue("scanner/max_gap_ms", settings.max_gap_ms)
    stored.setValue("scanner/min_length", settings.min_length)
    stored.setValue("scanner/terminators", ",".join(sorted(settings.terminators)))
    stored.setValue("scanner/prefix", settings.prefix.value if settings.prefix else "")
    stored.setValue("scanner/suffix", settings.suffix.value if settings.suffix else "")


def hash_is_fnc1() -> bool:
    """Whether a scanned '#' stands for FNC1 (GS): on unless this PC's scanner types GS."""
    value = str(ui_settings().value(_HASH_KEY, "true")).strip().lower()
    return value not in ("false", "0", "no", "off")


def save_hash_is_fnc1(enabled: bool) -> None:
    ui_settings().setValue(_HASH_KEY, "true" if enabled else "false")


def _marker(stored: QSettings, key: str) -> Marker | None:
    value = str(stored.value(key, "") or "").strip()
    return Marker(value) if value else None
