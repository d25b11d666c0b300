"""Small helpers shared by the integration tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.register import register_batch

ANN = Actor(operator="ann", workstation="PC-1")
BOB = Actor(operator="bob", workstation="PC-2")


def register(
    database: Database,
    code: str = "SCH-20251204-0001",
    liters: str = "1000",
    *,
    days: int = 5,
    received: datetime | None = None,
) -> Batch:
    received = received or datetime.now(UTC) - timedelta(hours=1)
    return register_batch(
        database, code=code, liters=liters, shelf_life_days=days, received_at=received, actor=ANN
    ).batch
