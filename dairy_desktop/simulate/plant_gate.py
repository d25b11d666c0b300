"""The plant's QA release gate, switched on for a run: every delivery the workstations
register then waits for its lab result, and the checks can prove nothing got past it."""

from __future__ import annotations

from dataclasses import replace

from dairy_desktop.db.database import Database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.simulate.codes import SETUP_WORKSTATION, workstation_name


def require_qa_release(database: Database, run: str) -> tuple[str, ...]:
    """Turn the gate on (a scratch database only: refuse_real_data() ran first) and give the
    required tests, which a run never changes."""
    settings = get_plant_settings(database)
    if not settings.qa_release_required:
        actor = Actor(operator="sim-setup", workstation=workstation_name(run, SETUP_WORKSTATION))
        update_plant_settings(database, replace(settings, qa_release_required=True), actor)
    return settings.required_tests
