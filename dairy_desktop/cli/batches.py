"""`batches list|register|consume|delete|restore` and `near-expiry`; the lifecycle's
actions (qa, hold, release, recall, dispose) come from batch_lifecycle.py."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.batch_lifecycle import add_lifecycle_actions
from dairy_desktop.cli.change_send import (
    add_expect_version,
    add_request_id,
    change_json,
    int_arg,
    send_exactly_once,
    server_now,
)
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_error, print_json, print_table
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.domain.text import quoted
from dairy_desktop.services.serialize import batch_to_dict

if TYPE_CHECKING:
    pass

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


def cmd_list(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.queries import list_batches

    database = open_for(args)
    listing = list_batches(
        database,
        include_deleted=args.include_deleted,
        status=args.status,
        now=server_now(database),
    )
    limit = listing.settings.temperature_limit_deci
    items = [batch_to_dict(b, listing.status_of(b), limit) for b in listing.batches]
    _print_batches(items, args.json)
    return EXIT_OK


def cmd_register(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.register import (
        register_once,
        registration_warnings,
        temperature_limit,
    )

    database = open_for(args)
    actor = actor_for(args)
    outcome = send_exactly_once(
        database,
        actor,
        lambda: register_once(
            database,
            code=args.code,
            liters=args.liters,
            shelf_life_days=args.shelf_life_days,
            received_at=args.received,
            fat_percent=args.fat,
            supplier=args.supplier,
            tanker=args.tanker,
            seal=args.seal,
            temperature=args.temperature,
            actor=actor,
        ),
    )
    if not outcome.changed.replayed:
        limit = temperature_limit(database, outcome.changed.batch)
        for warning in registration_warnings(outcome.changed, temperature_limit_deci=limit):
            print_error(f"warning: {warning}")
    _print_one(change_json(database, outcome), args.json)
    return EXIT_OK


def cmd_consume(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.consume import consume_once

    code = validate_code_shape(args.code)
    database = open_for(args)
    actor = actor_for(args)
    outcome = send_exactly_once(
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
    _print_one(change_json(database, outcome), args.json)
    return EXIT_OK


def cmd_delete_or_restore(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.lifecycle import delete_once, restore_once

    change = delete_once if args.command_name == "delete" else restore_once
    code = validate_code_shape(args.code)
    database = open_for(args)
    actor = actor_for(args)
    outcome = send_exactly_once(
        database, actor, lambda: change(database, code, reason=args.reason, actor=actor)
    )
    batch = outcome.changed.batch
    print(f"{batch.code}: {args.command_name}d (version {batch.version})")
    return EXIT_OK


def cmd_near_expiry(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.queries import near_expiry

    database = open_for(args)
    listing = near_expiry(database, days=args.days, now=server_now(database))
    days = listing.settings.near_expiry_days if args.days is None else args.days
    limit = listing.settings.temperature_limit_deci
    items = [batch_to_dict(b, listing.status_of(b, days), limit) for b in listing.batches]
    _print_batches(items, args.json)
    return EXIT_OK


def _status_arg(value: str) -> BatchStatus:
    try:
        return BatchStatus(value)
    except ValueError:
        raise InvalidInput(
            f"unknown status {quoted(value)}; choose one of {STATUS_CHOICES}"
        ) from None


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batches = commands.add_parser(
        "batches",
        help="list, register, consume, QA, hold, release, recall, dispose, delete, restore",
    )
    actions = batches.add_subparsers(
        dest="batch_command", metavar="ACTION", required=True, help="what to do with batches"
    )
    _add_batch_actions(actions)

    near = commands.add_parser("near-expiry", help="usable batches expiring within N days")
    near.add_argument(
        "--days",
        type=int_arg("--days", "days", 0, MAX_DAYS),
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
    delivery.add_argument(
        "--supplier", metavar="TEXT", help="who delivered it: the farm or haulier (optional)"
    )
    delivery.add_argument("--tanker", metavar="TEXT", help="tanker or trailer id (optional)")
    delivery.add_argument("--seal", metavar="TEXT", help="the tanker's seal number (optional)")
    delivery.add_argument(
        "--temperature",
        metavar="C",
        help="receipt temperature in °C, one decimal, -5 to 40, e.g. 4.5 (optional; above "
        "the plant's limit it is recorded with a warning)",
    )
    delivery.add_argument("--json", action="store_true", help=JSON_HELP)
    add_request_id(delivery)
    delivery.set_defaults(handler=cmd_register)

    taking = actions.add_parser("consume", help="take litres from a batch")
    taking.add_argument("code", metavar="CODE", help="the batch to take from")
    taking.add_argument("--liters", required=True, metavar="L", help="litres to take, e.g. 12.5")
    taking.add_argument("--order", metavar="ORDER", help="the order they are for (optional)")
    add_expect_version(taking)
    taking.add_argument("--json", action="store_true", help=JSON_HELP)
    add_request_id(taking)
    taking.set_defaults(handler=cmd_consume)

    for name, text in (("delete", "soft-delete a batch"), ("restore", "restore a deleted batch")):
        command = actions.add_parser(name, help=text)
        command.add_argument("code", metavar="CODE", help=f"the batch to {name}")
        command.add_argument(
            "--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)"
        )
        add_request_id(command)
        command.set_defaults(handler=cmd_delete_or_restore, command_name=name)
    add_lifecycle_actions(actions)
