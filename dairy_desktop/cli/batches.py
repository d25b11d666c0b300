"""The batch, near-expiry, audit and migrate commands."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dairy_desktop.cli.main import EXIT_OK, print_json
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.status import BatchStatus


def _table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    for line in [headers, [""] * len(headers), *rows]:
        if line and not any(line):
            print("  ".join("-" * w for w in widths))
            continue
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)).rstrip())


def _print_batches(items: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print_json(items)
        return
    if not items:
        print("No batches.")
        return
    keys = [
        "code",
        "received_at",
        "expires_at",
        "remaining_liters",
        "initial_liters",
        "fat_percent",
        "status",
        "version",
    ]
    _table([[str(i[k] if i[k] is not None else "") for k in keys] for i in items], keys)


def _print_one(item: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(item)
    else:
        print(
            f"{item['code']}: {item['remaining_liters']} L of {item['initial_liters']} L left, "
            f"expires {item['expires_at']}, {item['status']}, version {item['version']}"
        )


def _status_arg(value: str) -> BatchStatus:
    try:
        return BatchStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in BatchStatus)
        raise InvalidInput(f"unknown status {value!r}; choose one of {choices}") from None


def cmd_migrate(args: argparse.Namespace) -> int:
    from dairy_desktop.config.local_settings import resolve_database_url
    from dairy_desktop.db.database import migrate, open_database

    database = open_database(resolve_database_url(args.database_url), upgrade=False)
    before, after = migrate(database)
    state = "already up to date" if before == after else f"upgraded from {before or 'empty'}"
    print(f"{database.location}: schema {after} ({state})")
    return EXIT_OK


def _batch_json(database: Any, batch: Any) -> dict[str, Any]:
    from dairy_desktop.domain.clock import utc_now
    from dairy_desktop.services.plant_settings import get_plant_settings
    from dairy_desktop.services.serialize import batch_to_dict

    settings = get_plant_settings(database)
    return batch_to_dict(batch, batch.status(utc_now(), settings.zone, settings.near_expiry_days))


def cmd_list(args: argparse.Namespace) -> int:
    from dairy_desktop.services.queries import list_batches
    from dairy_desktop.services.serialize import batch_to_dict

    listing = list_batches(open_for(args), include_deleted=args.include_deleted, status=args.status)
    _print_batches([batch_to_dict(b, listing.status_of(b)) for b in listing.batches], args.json)
    return EXIT_OK


def cmd_register(args: argparse.Namespace) -> int:
    from dairy_desktop.services.register import register_batch

    database = open_for(args)
    result = register_batch(
        database,
        code=args.code,
        liters=args.liters,
        shelf_life_days=args.shelf_life_days,
        received_at=args.received,
        fat_percent=args.fat,
        actor=actor_for(args),
    )
    for warning in result.warnings:
        print(f"dairy-desktop: warning: {warning}", file=sys.stderr)
    _print_one(_batch_json(database, result.batch), args.json)
    return EXIT_OK


def cmd_consume(args: argparse.Namespace) -> int:
    from dairy_desktop.services.consume import consume

    database = open_for(args)
    batch = consume(
        database,
        args.code,
        args.liters,
        order_id=args.order,
        expected_version=args.expect_version,
        actor=actor_for(args),
    )
    _print_one(_batch_json(database, batch), args.json)
    return EXIT_OK


def cmd_delete_or_restore(args: argparse.Namespace) -> int:
    from dairy_desktop.services.lifecycle import delete_batch, restore_batch

    change = delete_batch if args.command_name == "delete" else restore_batch
    batch = change(open_for(args), args.code, reason=args.reason, actor=actor_for(args))
    print(f"{batch.code}: {args.command_name}d (version {batch.version})")
    return EXIT_OK


def cmd_near_expiry(args: argparse.Namespace) -> int:
    from dairy_desktop.services.queries import near_expiry
    from dairy_desktop.services.serialize import batch_to_dict

    listing = near_expiry(open_for(args), days=args.days)
    days = listing.settings.near_expiry_days if args.days is None else args.days
    items = [batch_to_dict(b, listing.status_of(b, days)) for b in listing.batches]
    _print_batches(items, args.json)
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from dairy_desktop.services.audit_trail import AuditFilter, list_audit
    from dairy_desktop.services.serialize import AUDIT_KEYS, event_to_dict

    events = [event_to_dict(e) for e in list_audit(open_for(args), AuditFilter(args.batch))]
    if args.json:
        print_json(events)
    elif not events:
        print("No audit events.")
    else:
        keys = list(AUDIT_KEYS)
        _table([[str(e[k]) if e[k] is not None else "" for k in keys] for e in events], keys)
    return EXIT_OK


def _int_arg(name: str) -> Any:
    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, not {value!r}"
            ) from None

    return parse


def register_commands(commands: Any) -> None:
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.set_defaults(handler=cmd_migrate)

    batches = commands.add_parser("batches", help="list, register, consume, delete, restore")
    sub = batches.add_subparsers(dest="batch_command", metavar="ACTION", required=True)
    _add_batch_commands(sub)

    near = commands.add_parser("near-expiry", help="usable batches expiring within N days")
    near.add_argument("--days", type=_int_arg("--days"), help="horizon (default: plant setting)")
    near.add_argument("--json", action="store_true")
    near.set_defaults(handler=cmd_near_expiry)

    audit = commands.add_parser("audit", help="the audit trail")
    audit.add_argument("--batch", metavar="CODE")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=cmd_audit)

    from dairy_desktop.cli.extra import register_extra_commands

    register_extra_commands(commands)


def _add_batch_commands(sub: Any) -> None:
    listing = sub.add_parser("list", help="list batches with their status")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--include-deleted", action="store_true")
    listing.add_argument("--status", type=_status_arg)
    listing.set_defaults(handler=cmd_list)

    register = sub.add_parser("register", help="register a delivery")
    register.add_argument("--code", required=True)
    register.add_argument("--liters", required=True, metavar="L")
    register.add_argument("--shelf-life-days", required=True, metavar="N")
    register.add_argument("--received", metavar="ISO8601", help="default: now")
    register.add_argument("--fat", metavar="PCT")
    register.add_argument("--json", action="store_true")
    register.set_defaults(handler=cmd_register)

    consume = sub.add_parser("consume", help="take litres from a batch")
    consume.add_argument("code", metavar="CODE")
    consume.add_argument("--liters", required=True, metavar="L")
    consume.add_argument("--order", metavar="ORDER")
    consume.add_argument("--expect-version", type=_int_arg("--expect-version"), metavar="N")
    consume.add_argument("--json", action="store_true")
    consume.set_defaults(handler=cmd_consume)

    for name, text in (("delete", "soft-delete a batch"), ("restore", "restore a deleted batch")):
        command = sub.add_parser(name, help=text)
        command.add_argument("code", metavar="CODE")
        command.add_argument("--reason", required=True, metavar="TEXT")
        command.set_defaults(handler=cmd_delete_or_restore, command_name=name)
