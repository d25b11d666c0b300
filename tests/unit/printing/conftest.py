"""Batches for the printing unit tests (no Qt here)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.domain.batch import Batch
from tests.support.factories import make_batch as _make_batch


@pytest.fixture(scope="session")
def make_batch() -> Callable[..., Batch]:
    """Build a Batch expiring at a given instant (session scope: it is a pure function)."""
    return _make_batch
