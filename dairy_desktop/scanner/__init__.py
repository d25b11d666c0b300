"""Barcode scanning: parse what a scanner sends, and capture keyboard-wedge scans.

This package root holds the pure (Qt-free) API. The Qt parts are imported from their
modules: ``dairy_desktop.scanner.wedge.ScannerWedge`` and
``dairy_desktop.scanner.scan_log_model.ScanLogModel``.
"""

from dairy_desktop.scanner.results import (
    BatchScan,
    GS1Scan,
    OrderScan,
    ScanKind,
    ScanResult,
    UnknownScan,
)
from dairy_desktop.scanner.scan_log import ScanLog, ScanLogEntry
from dairy_desktop.scanner.visible import visible_text
from dairy_desktop.scanner.wedge_settings import Terminator, WedgeSettings


def __getattr__(name: str) -> object:
    # The GS1 parser pulls in biip (~0.1 s): loaded on the first scan, not at start-up.
    if name == "parse_scan":
        from dairy_desktop.scanner.parse import parse_scan

        return parse_scan
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BatchScan",
    "GS1Scan",
    "OrderScan",
    "ScanKind",
    "ScanLog",
    "ScanLogEntry",
    "ScanResult",
    "Terminator",
    "UnknownScan",
    "WedgeSettings",
    "parse_scan",
    "visible_text",
]
