"""Dairy Desktop: milk batch stock, expiry and consumption for a dairy plant office."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Reading the installed metadata costs ~30 ms: only the About box and --version need it,
    # so it is not paid on every start before the window can paint.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("dairy-desktop")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
