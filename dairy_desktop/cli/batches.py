"""`batches list|register|consume|delete|restore` and `near-expiry`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_error, print_json, print_table
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.request_id import validate_request_id
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.domain.text import quoted
from dairy_desktop.domain.whole_number import parse_whole_number
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.serialize import batch_to_dict

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database
    from dairy_desktop.services.exactly_once import Outcome

# A batch's version is stored as a 32-bit integer on both databases.
MAX_VERSION = 2**31 - 1
MAX_DAYS = 10_000
STATUS_CHOICES = ", ".join(s.value for s in BatchStatus)

TABLE_KEYS = [
    "code",
    "received_at",
    "expires_at",
    "remaining_liters",
    "initial_liters",
    "fat_percent",
    "status",
    "version",
]


def _print_batches(items: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(items)
        return
    if not items:
        print("No batches.")
        return
    rows = [[str(i[k] if i[k] is not None else "") for k in TABLE_KEYS] for i in items]
    print_table(rows, TABLE_KEYS)


def _print_one(item: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(item)
    else:
        print(
            f"{item['code']}: {item['remaining_liters']} L of {item['initial_liters']} L left, "
            f"expires {item['expires_at']}, {item['status']}, version {item['version']}"
        )


def _server_now(database: Database) -> datetime:
    """Now on the clock that decides expiry (the database server's on PostgreSQL)."""
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.clock_offset import measure_offset

    return utc_now() + measure_offset(database)


def _batch_json(database: Database, batch: Batch) -> dict[str, Any]:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.plant_settings import get_plant_settings

    settings = get_plant_settings(database)
    status = batch.status(_server_now(database), settings.zone, settings.near_expiry_days)
    return batch_to_dict(batch, status)


def _exactly_once(database: Database, actor: Actor, send: Callable[[], Changed]) -> Outcome:
    """Send one change; after a lost reply, find out from the audit trail what became of it."""
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.exactly_once import exactly_once

    assert actor.request_id is not None  # for_action() always gives one
    outcome = exactly_once(database, actor.request_id, send, correlation_id=actor.correlation_id)
    for note in outcome.notes():
        print_error(f"note: {note}")
    return outcome


def _change_json(database: Database, outcome: Outcome) -> dict[str, Any]:
    item = _batch_json(database, outcome.changed.batch)
    if outcome.changed.replayed:
        item["replayed"] = True
    return item


def cmd_list(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.queries import list_batches

    database = open_for(args)
    listing = list_batches(
        database,
        include_deleted=args.include_deleted,
        status=args.status,
        now=_server_now(database),
    )
    _print_batches([batch_to_dict(b, listing.status_of(b)) for b in listing.batches], args.json)
    return EXIT_OK


def cmd_register(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.register import register_once, registration_warnings

    database = open_for(args)
    actor = actor_for(args)
    outcome = _exactly_once(
        database,
        actor,
        lambda: register_once(
            database,
            code=args.code,
            liters=args.liters,
            shelf_life_days=args.shelf_life_days,
            received_at=args.received,
            fat_percent=args.fat,
            actor=actor,
        ),
    )
    if not outcome.changed.replayed:
        for warning in registration_warnings(outcome.changed):
            print_error(f"warning: {warning}")
    _print_one(_change_json(database, outcome), args.json)
    return EXIT_OK


def cmd_consume(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.consume import consume_once

    code = validate_code_shape(args.code)
    database = open_for(args)
    actor = actor_for(args)
    outcome = _exactly_once(
        database,
        actor,
        lambda: consume_once(
            database,
            code,
            args.liters,
            order_id=args.order,
            expected_version=args.expect_version,
            actor=actor,
        ),
    )
    _print_one(_change_json(database, outcome), args.json)
    return EXIT_OK


def cmd_delete_or_restore(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.lifecycle import delete_once, restore_once

    change = delete_once if args.command_name == "delete" else restore_once
    code = validate_code_shape(args.code)
    database = open_for(args)
    actor = actor_for(args)
    outcome = _exactly_once(
        database, actor, lambda: change(database, code, reason=args.reason, actor=actor)
    )
    batch = outcome.changed.batch
    print(f"{batch.code}: {args.command_name}d (version {batch.version})")
    return EXIT_OK


def cmd_near_expiry(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.queries import near_expiry

    database = open_for(args)
    listing = near_expiry(database, days=args.days, now=_server_now(database))
    days = listing.settings.near_expiry_days if args.days is None else args.days
    items = [batch_to_dict(b, listing.status_of(b, days)) for b in listing.batches]
    _print_batches(items, args.json)
    return EXIT_OK


def _status_arg(value: str) -> BatchStatus:
    try:
        return BatchStatus(value)
    except ValueError:
        raise InvalidInput(
            f"unknown status {quoted(value)}; choose one of {STATUS_CHOICES}"
        ) from None


def _int_arg(name: str, field: str, minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        return parse_whole_number(value, label=name, field=field, minimum=minimum, maximum=maximum)

    return parse


def _request_id_arg(value: str) -> str:
    return validate_request_id(value)


def _add_request_id(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--request-id",
        type=_request_id_arg,
        metavar="ID",
        help="name this change (1-64 of A-Z a-z 0-9 . _ : -); sending the same id again "
        "records nothing new and prints the first result (default: a fresh id)",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batches = commands.add_parser("batches", help="list, register, consume, delete, restore")
    actions = batches.add_subparsers(
        dest="batch_command", metavar="ACTION", required=True, help="what to do with batches"
    )
    _add_batch_actions(actions)

    near = commands.add_parser("near-expiry", help="usable batches expiring within N days")
    near.add_argument(
        "--days",
        type=_int_arg("--days", "days", 0, MAX_DAYS),
        metavar="N",
        help="horizon in days after today (default: the plant setting)",
    )
    near.add_argument("--json", action="store_true", help=JSON_HELP)
    near.set_defaults(handler=cmd_near_expiry)


def _add_batch_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = actions.add_parser("list", help="list batches with their status")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.add_argument(
        "--include-deleted", action="store_true", help="also list soft-deleted batches"
    )
    listing.add_argument(
        "--status",
        type=_status_arg,
        metavar="STATUS",
        help=f"only batches with this status: one of {STATUS_CHOICES}",
    )
    listing.set_defaults(handler=cmd_list)

    delivery = actions.add_parser("register", help="register a delivery")
    delivery.add_argument(
        "--code", required=True, metavar="CODE", help="the new batch's code (plant pattern)"
    )
    delivery.add_argument(
        "--liters", required=True, metavar="L", help="litres delivered, e.g. 1000 or 1000.5"
    )
    delivery.add_argument(
        "--shelf-life-days", required=True, metavar="N", help="days until it expires"
    )
    delivery.add_argument(
        "--received",
        metavar="ISO8601",
        help="when it was received, e.g. 2025-12-04T07:30 (plant time unless an offset "
        "is given; default: now)",
    )
    delivery.add_argument("--fat", metavar="PCT", help="fat %%, 0-100, e.g. 3.5 (optional)")
    delivery.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_request_id(delivery)
    delivery.set_defaults(handler=cmd_register)

    taking = actions.add_parser("consume", help="take litres from a batch")
    taking.add_argument("code", metavar="CODE", help="the batch to take from")
    taking.add_argument("--liters", required=True, metavar="L", help="litres to take, e.g. 12.5")
    taking.add_argument("--order", metavar="ORDER", help="the order they are for (optional)")
    taking.add_argument(
        "--expect-version",
        type=_int_arg("--expect-version", "version", 1, MAX_VERSION),
        metavar="N",
        help="refuse (exit 3) unless the batch is still at this version, i.e. unchanged "
        "since it was read",
    )
    taking.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_request_id(taking)
    taking.set_defaults(handler=cmd_consume)

    for name, text in (("delete", "soft-delete a batch"), ("restore", "restore a deleted batch")):
        command = actions.add_parser(name, help=text)
        command.add_argument("code", metavar="CODE", help=f"the batch to {name}")
        command.add_argument(
            "--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)"
        )
        _add_request_id(command)
        command.set_defaults(handler=cmd_delete_or_restore, command_name=name)
