"""Batches for the printing unit tests (no Qt here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from dairy_desktop.domain.batch import Batch


def _batch(
    code: str,
    expires_at: datetime,
    *,
    remaining_ml: int = 1_000_000,
    initial_ml: int | None = None,
    fat_centi: int | None = 350,
    shelf_life_days: int = 3,
    deleted_at: datetime | None = None,
) -> Batch:
    received = expires_at - timedelta(days=shelf_life_days)
    return Batch(
        id=abs(hash(code)) % 1_000_000,
        code=code,
        received_at=received,
        shelf_life_days=shelf_life_days,
        expires_at=expires_at,
        initial_ml=initial_ml if initial_ml is not None else max(remaining_ml, 1),
        remaining_ml=remaining_ml,
        fat_centi=fat_centi,
        version=1,
        deleted_at=deleted_at,
        updated_at=received,
        updated_by="test",
        updated_workstation="TEST-PC",
    )


@pytest.fixture(scope="session")
def make_batch() -> Callable[..., Batch]:
    """Build a Batch expiring at a given instant (session scope: it is a pure function)."""
    return _batch
