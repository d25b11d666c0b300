"""Scanner timing and terminator, per PC (scanners differ between desks)."""

from __future__ import annotations

from dairy_desktop.ui.preferences.window_state import ui_settings
from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings


def load_wedge_settings() -> WedgeSettings:
    stored = ui_settings()
    defaults = WedgeSettings()
    try:
        names = str(stored.value("scanner/terminators", "enter")).split(",")
        return WedgeSettings(
            max_gap_ms=int(stored.value("scanner/max_gap_ms", defaults.max_gap_ms)),  # type: ignore[call-overload]
            min_length=int(stored.value("scanner/min_length", defaults.min_length)),  # type: ignore[call-overload]
            terminators=frozenset(Terminator(n.strip()) for n in names if n.strip()),
        )
    except (ValueError, TypeError):  # a hand-edited file must not stop scanning
        return defaults
