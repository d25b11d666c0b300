"""print-sheet lists the reservations at risk, read from the database, and charts the plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from dairy_desktop.db.database import Database
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reservations import reserve_once
from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.helpers import ANN
from tests.ui.printing.conftest import pdf_page_texts

BERLIN = ZoneInfo("Europe/Berlin")
Cli = Callable[..., Outcome]


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> QApplication:
    return qapp


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def test_the_sheet_names_the_orders_whose_reserved_milk_is_at_risk(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    update_plant_settings(
        database,
        PlantSettings("Riverside Dairy", time_zone="Europe/Berlin", qa_release_required=False),
        ANN,
    )
    received = datetime.now(UTC) - timedelta(hours=1)
    short, held, safe = (
        register_batch(
            database,
            code=code,
            liters="1000",
            shelf_life_days=days,
            received_at=received,
            fat_percent="3.5",
            actor=ANN,
        ).batch
        for code, days in (
            ("SCH-20251204-0001", 1),
            ("SCH-20251204-0002", 3),
            ("SCH-20251204-0003", 3),
        )
    )
    short_day = short.expires_at.astimezone(BERLIN).date()
    reserve_once(
        database,
        short.code,
        "200",
        order_id="ORDER-20251204-0001",
        planned_for=short_day + timedelta(days=1),
        actor=ANN,
    )
    reserve_once(
        database, held.code, "300", order_id="ORDER-20251204-0002", planned_for=short_day, actor=ANN
    )
    reserve_once(
        database, safe.code, "400", order_id="ORDER-20251204-0003", planned_for=short_day, actor=ANN
    )
    hold_once(database, held.code, reason="lab re-test", actor=ANN)
    path = tmp_path / "sheet.pdf"

    outcome = cli("print-sheet", "--output", str(path))

    assert outcome.code == 0, outcome.err
    text = " ".join(pdf_page_texts(path))
    assert "Litres expiring per day" in text
    assert "Reservations at risk — re-plan these orders 2 order lines" in text
    assert "ORDER-20251204-0001 SCH-20251204-0001 200.000 L" in text
    assert "expires before that day" in text
    assert "ORDER-20251204-0002 SCH-20251204-0002 300.000 L" in text
    assert "batch on hold" in text
    assert "ORDER-20251204-0003" not in text
