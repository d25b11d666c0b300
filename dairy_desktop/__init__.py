"""Dairy Desktop: milk batch stock, expiry and consumption for a dairy plant office."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dairy-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
