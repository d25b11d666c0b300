"""`orders pick|consume|reserve|reservations|unreserve`: an order's milk, first expired
first out, taken or set aside across batches in one transaction each."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dairy_desktop.cli.change_send import server_now
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.orders_json import (
    consumed_to_dict,
    pick_to_dict,
    print_consumed,
    print_pick,
    print_reservations,
    print_reserved,
    print_unreserved,
    reservation_to_dict,
    reserved_to_dict,
    unreserved_to_dict,
)
from dairy_desktop.cli.output import JSON_HELP, print_error, print_json
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.errors import NotEnoughStock, PlanNoLongerHolds
from dairy_desktop.domain.request_id import validate_request_id
from dairy_desktop.services.orders_lines import parse_from_option
from dairy_desktop.services.orders_request import MAX_SHARED_REQUEST_ID

if TYPE_CHECKING:
    from dairy_desktop.domain.change import Changed
    from dairy_desktop.services.exactly_once import Outcome
    from dairy_desktop.services.orders_consume import OrderConsumed

_ORDER_HELP = "the production order, e.g. ORDER-20251204-1234"


def cmd_pick(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.orders_pick import pick_for_order

    database = open_for(args)
    pick = pick_for_order(database, args.order, args.liters, now=server_now(database))
    if args.json:
        print_json(pick_to_dict(pick))
    else:
        print_pick(pick)
    if not pick.covered:
        print_error(
            f"warning: the batches {pick.order_id} may use cannot cover it; "
            "`orders consume` would refuse (exit 5)"
        )
    return EXIT_OK


def cmd_consume(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.exactly_once import exactly_once
    from dairy_desktop.services.orders_consume import consume_for_order
    from dairy_desktop.services.orders_request import line_request_id, shared_request_id

    database = open_for(args)
    actor = actor_for(args)
    request_id = shared_request_id(actor)
    lines = _chosen(args)
    sent: list[OrderConsumed] = []

    def send() -> Changed:
        consumed = consume_for_order(database, args.order, args.liters, actor=actor, lines=lines)
        sent.append(consumed)
        return consumed.lines[0]

    with _proposal_on_refusal(args.json):
        # The lines commit together: the first one's request id tells whether all did.
        outcome = exactly_once(database, line_request_id(request_id, 1), send)
    _notes(outcome)
    consumed = sent[-1]
    if outcome.confirmed_after_drop:
        # This very command's change, found after its reply was lost: not an earlier one's.
        consumed = dataclasses.replace(consumed, replayed=False)
    if args.json:
        print_json(consumed_to_dict(consumed))
    else:
        print_consumed(consumed)
    return EXIT_OK


def cmd_reserve(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.exactly_once import exactly_once
    from dairy_desktop.services.orders_request import line_request_id, shared_request_id
    from dairy_desktop.services.orders_reserve import OrderReserved, reserve_for_order

    database = open_for(args)
    actor = actor_for(args)
    request_id = shared_request_id(actor)
    lines = _chosen(args)
    sent: list[OrderReserved] = []

    def send() -> Changed:
        reserved = reserve_for_order(
            database, args.order, args.liters, args.planned_for, actor=actor, lines=lines
        )
        sent.append(reserved)
        return reserved.lines[0].changed

    with _proposal_on_refusal(args.json):
        outcome = exactly_once(database, line_request_id(request_id, 1), send)
    _notes(outcome)
    reserved = sent[-1]
    if outcome.confirmed_after_drop:
        reserved = dataclasses.replace(reserved, replayed=False)
    for line in reserved.lines:
        if line.risk is not None:
            print_error(
                f"warning: batch {line.changed.batch.code} {line.risk}: this reservation is at risk"
            )
    if args.json:
        print_json(reserved_to_dict(reserved))
    else:
        print_reserved(reserved)
    return EXIT_OK


def cmd_reservations(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.orders_unreserve import reservations_now

    database = open_for(args)
    listed = reservations_now(database, order_id=args.order, now=server_now(database))
    if args.json:
        print_json([reservation_to_dict(held) for held in listed])
    else:
        print_reservations(listed)
    return EXIT_OK


def cmd_unreserve(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.exactly_once import exactly_once
    from dairy_desktop.services.orders_request import line_request_id, shared_request_id
    from dairy_desktop.services.orders_unreserve import OrderUnreserved, unreserve_order

    database = open_for(args)
    actor = actor_for(args)
    request_id = shared_request_id(actor)
    sent: list[OrderUnreserved] = []

    def send() -> Changed:
        sent.append(unreserve_order(database, args.order, actor=actor))
        return sent[-1].lines[0]

    outcome = exactly_once(database, line_request_id(request_id, 1), send)
    _notes(outcome)
    unreserved = sent[-1]
    if outcome.confirmed_after_drop:
        unreserved = dataclasses.replace(unreserved, replayed=False)
    if args.json:
        print_json(unreserved_to_dict(unreserved))
    else:
        print_unreserved(unreserved)
    return EXIT_OK


def _chosen(args: argparse.Namespace) -> list[tuple[str, str]] | None:
    return None if args.from_lines is None else [parse_from_option(t) for t in args.from_lines]


def _notes(outcome: Outcome) -> None:
    for note in outcome.notes():
        print_error(f"note: {note}")


@contextmanager
def _proposal_on_refusal(as_json: bool) -> Iterator[None]:
    """A plan refused (exit 3) or short (exit 5): with --json, the proposal the stock allows
    now on stdout (the shape of `orders pick`); the refusal itself goes on to stderr."""
    try:
        yield
    except (PlanNoLongerHolds, NotEnoughStock) as refusal:
        if as_json:
            print_json(pick_to_dict(refusal.proposal))
        raise


def _order_and_liters(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str
) -> argparse.ArgumentParser:
    command = actions.add_parser(name, help=text)
    command.add_argument("order", metavar="ORDER", help=_ORDER_HELP)
    command.add_argument("--liters", required=True, metavar="L", help="litres, e.g. 120.5")
    return command


def _from_option(command: argparse._ActionsContainer, text: str) -> None:
    command.add_argument(
        "--from",
        dest="from_lines",
        action="append",
        metavar="CODE:L",
        help=f"{text}; repeat it for each batch, the litres adding up to --liters",
    )


def _add_request_id(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--request-id",
        type=validate_request_id,
        metavar="ID",
        help=f"name this change (1-{MAX_SHARED_REQUEST_ID} of A-Z a-z 0-9 . _ : -; each "
        "batch's audit event carries ID:1, ID:2, ...); sending the same id again records "
        "nothing new and prints the first result (default: a fresh id)",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    orders = commands.add_parser(
        "orders", help="pick, consume and reserve an order's milk, first expired first out"
    )
    actions = orders.add_subparsers(
        dest="orders_command", metavar="ACTION", required=True, help="what to do for an order"
    )
    pick = _order_and_liters(
        actions, "pick", "propose which batches the litres should come from (writes nothing)"
    )
    pick.add_argument("--json", action="store_true", help=JSON_HELP)
    pick.set_defaults(handler=cmd_pick)

    consume = _order_and_liters(
        actions, "consume", "take the litres from one or more batches, all or nothing"
    )
    how = consume.add_mutually_exclusive_group()
    how.add_argument(
        "--fefo", action="store_true", help="take them as `orders pick` proposes (the default)"
    )
    _from_option(how, "take L litres from batch CODE")
    consume.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_request_id(consume)
    consume.set_defaults(handler=cmd_consume)

    reserve = _order_and_liters(
        actions, "reserve", "set litres aside for the order's day, first expired first out"
    )
    reserve.add_argument(
        "--for",
        dest="planned_for",
        required=True,
        metavar="YYYY-MM-DD",
        help="the plant day the order will use them: only batches still in date when it is "
        "over are proposed",
    )
    _from_option(reserve, "reserve L litres on batch CODE (at risk if it expires sooner)")
    reserve.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_request_id(reserve)
    reserve.set_defaults(handler=cmd_reserve)

    listing = actions.add_parser(
        "reservations", help="list reservations, each with its batch's expiry and status"
    )
    listing.add_argument("--order", metavar="ORDER", help="only this order's (optional)")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=cmd_reservations)

    unreserve = actions.add_parser(
        "unreserve", help="let all of the order's reservations go, on every batch"
    )
    unreserve.add_argument("order", metavar="ORDER", help=_ORDER_HELP)
    unreserve.add_argument("--json", action="store_true", help=JSON_HELP)
    _add_request_id(unreserve)
    unreserve.set_defaults(handler=cmd_unreserve)
