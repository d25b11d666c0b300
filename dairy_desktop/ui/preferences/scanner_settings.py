"""Scanner settings per PC: stored by ui/scanner/stored_settings (re-exported here)."""

from __future__ import annotations

from dairy_desktop.ui.scanner.stored_settings import (
    hash_is_fnc1,
    load_wedge_settings,
    save_hash_is_fnc1,
    save_wedge_settings,
)

__all__ = ["hash_is_fnc1", "load_wedge_settings", "save_hash_is_fnc1", "save_wedge_settings"]
