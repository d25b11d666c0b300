"""What every command that changes a batch shares: its options (--request-id,
--expect-version), the exactly-once send, and the batch as JSON after it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.output import print_error
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.request_id import validate_request_id
from dairy_desktop.domain.whole_number import parse_whole_number
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.serialize import batch_to_dict

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database
    from dairy_desktop.services.exactly_once import Outcome

# A batch's version is stored as a 32-bit integer on both databases.
MAX_VERSION = 2**31 - 1


def server_now(database: Database) -> datetime:
    """Now on the clock that decides expiry (the database server's on PostgreSQL)."""
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.clock_offset import measure_offset

    return utc_now() + measure_offset(database)


def batch_json(database: Database, batch: Batch) -> dict[str, Any]:
    """The batch as the JSON contract gives it, its status as of now (server clock)."""
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.plant_settings import get_plant_settings

    settings = get_plant_settings(database)
    status = batch.status(server_now(database), settings.zone, settings.near_expiry_days)
    return batch_to_dict(batch, status, settings.temperature_limit_deci)


def send_exactly_once(database: Database, actor: Actor, send: Callable[[], Changed]) -> Outcome:
    """Send one change; after a lost reply, find out from the audit trail what became of it."""
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.exactly_once import exactly_once

    assert actor.request_id is not None  # for_action() always gives one
    outcome = exactly_once(database, actor.request_id, send, correlation_id=actor.correlation_id)
    for note in outcome.notes():
        print_error(f"note: {note}")
    return outcome


def change_json(database: Database, outcome: Outcome) -> dict[str, Any]:
    item = batch_json(database, outcome.changed.batch)
    if outcome.changed.replayed:
        item["replayed"] = True
    return item


def int_arg(name: str, field: str, minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        return parse_whole_number(value, label=name, field=field, minimum=minimum, maximum=maximum)

    return parse


def _request_id_arg(value: str) -> str:
    return validate_request_id(value)


def add_request_id(command: argparse.ArgumentParser, *, default: object = None) -> None:
    command.add_argument(
        "--request-id",
        type=_request_id_arg,
        default=default,
        metavar="ID",
        help="name this change (1-64 of A-Z a-z 0-9 . _ : -); sending the same id again "
        "records nothing new and prints the first result (default: a fresh id)",
    )


def add_expect_version(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--expect-version",
        type=int_arg("--expect-version", "version", 1, MAX_VERSION),
        metavar="N",
        help="refuse (exit 3) unless the batch is still at this version, i.e. unchanged "
        "since it was read",
    )
