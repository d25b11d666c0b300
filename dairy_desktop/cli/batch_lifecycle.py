"""`batches qa|hold|release|recall|dispose`: the QA gate, holds, recalls and write-offs.

Each is one change sent exactly once (like consume): --request-id names it, --expect-version
guards it, and its output is one line (or the batch as JSON with the change's audit event).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.change_send import (
    add_expect_version,
    add_request_id,
    change_json,
    send_exactly_once,
)
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.disposal import REASON_CHOICES, DisposeReason
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.serialize import event_to_dict

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database
    from dairy_desktop.services.exactly_once import Outcome

ORDER_KEYS = ["order_id", "liters", "at", "operator", "workstation", "event_id", "reversed"]
_QA_STATE_WORDS = {
    QaState.PENDING: "still awaiting QA release",
    QaState.RELEASED: "released by QA",
    QaState.REJECTED: "rejected by QA: never to be used, only disposed of as rejected-load",
}


def _send(
    args: argparse.Namespace, change: Callable[[Database, str, Actor], Changed]
) -> tuple[Database, Outcome]:
    code = validate_code_shape(args.code)
    database = open_for(args)
    actor = actor_for(args)
    return database, send_exactly_once(database, actor, lambda: change(database, code, actor))


def _finish(
    database: Database, outcome: Outcome, line: str, as_json: bool, **extra: object
) -> None:
    """The one line, or the batch's JSON with the change's audit event (and `extra`)."""
    if not as_json:
        print(line)
        return
    item = change_json(database, outcome)
    item["event"] = event_to_dict(outcome.changed.event)
    item.update(extra)
    print_json(item)


def cmd_qa(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.lifecycle_reads import required_tests_left
    from dairy_desktop.services.qa_release import record_qa_once

    database, outcome = _send(
        args,
        lambda db, code, actor: record_qa_once(
            db,
            code,
            test=args.test,
            result=args.result,
            analyst=args.analyst,
            kit=args.kit,
            sample_id=args.sample_id,
            note=args.note,
            expected_version=args.expect_version,
            actor=actor,
        ),
    )
    batch, event = outcome.changed.batch, outcome.changed.event
    state = _QA_STATE_WORDS[batch.qa_state]
    if batch.qa_state is QaState.PENDING and not args.json:
        needed = required_tests_left(database, batch.code)
        state += f" (still needed: {', '.join(needed)})" if needed else ""
    line = (
        f"{batch.code}: {event.qa_test} {event.qa_result} recorded (analyst {event.qa_analyst}); "
        f"{state} (version {batch.version})"
    )
    _finish(database, outcome, line, args.json)
    return EXIT_OK


def cmd_hold_or_release(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.holds import hold_once, release_once

    change = hold_once if args.command_name == "hold" else release_once
    database, outcome = _send(
        args,
        lambda db, code, actor: change(
            db, code, reason=args.reason, expected_version=args.expect_version, actor=actor
        ),
    )
    batch = outcome.changed.batch
    done = (
        "put on hold: not to be used until released"
        if args.command_name == "hold"
        else ("hold released")
    )
    _finish(database, outcome, f"{batch.code}: {done} (version {batch.version})", args.json)
    return EXIT_OK


def order_to_dict(use: AuditEvent) -> dict[str, Any]:
    """One consume of a recalled batch: which order took how much, when, who, on which PC."""
    return {
        "order_id": use.order_id,
        "liters": None if use.liters is None else format_liters(use.liters),
        "at": iso_z(use.at),
        "operator": use.operator,
        "workstation": use.workstation,
        "event_id": use.id,
        "reversed": use.is_reversed,
        "reversed_by": use.reversed_by,
    }


def cmd_recall(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.holds import recall_once
    from dairy_desktop.services.lifecycle_reads import orders_using

    database, outcome = _send(
        args,
        lambda db, code, actor: recall_once(
            db, code, reason=args.reason, expected_version=args.expect_version, actor=actor
        ),
    )
    batch = outcome.changed.batch
    orders = [order_to_dict(use) for use in orders_using(database, batch.code)]
    count = len(orders)
    used = (
        f"used by {count} consume{'s' if count != 1 else ''} (below)"
        if orders
        else ("nothing was consumed from it")
    )
    line = f"{batch.code}: recalled, never to be used again; {used} (version {batch.version})"
    _finish(database, outcome, line, args.json, orders=orders)
    if orders and not args.json:
        rows = [
            [
                order["order_id"] or "(no order)",
                order["liters"],
                order["at"],
                order["operator"],
                order["workstation"],
                str(order["event_id"]),
                f"yes (event {order['reversed_by']})" if order["reversed"] else "no",
            ]
            for order in orders
        ]
        print_table(rows, ["order", "liters", "at", "operator", "workstation", "event", "reversed"])
    return EXIT_OK


def cmd_dispose(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.dispose import dispose_once

    database, outcome = _send(
        args,
        lambda db, code, actor: dispose_once(
            db,
            code,
            None if args.all else args.liters,
            reason_code=args.reason_code,
            note=args.note,
            expected_version=args.expect_version,
            actor=actor,
        ),
    )
    batch, event = outcome.changed.batch, outcome.changed.event
    taken = "?" if event.liters is None else format_liters(event.liters)
    line = (
        f"{batch.code}: {taken} L disposed of ({event.reason_code}), "
        f"{format_liters(batch.remaining_liters)} L left (version {batch.version}, event "
        f"{event.id})"
    )
    _finish(database, outcome, line, args.json)
    return EXIT_OK


def _code_and_options(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str
) -> argparse.ArgumentParser:
    command = actions.add_parser(name, help=text)
    command.add_argument("code", metavar="CODE", help="the batch's code")
    return command


def _finish_options(command: argparse.ArgumentParser, handler: Callable[..., int]) -> None:
    add_expect_version(command)
    command.add_argument("--json", action="store_true", help=JSON_HELP)
    add_request_id(command)
    command.set_defaults(handler=handler)


def add_lifecycle_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    qa = _code_and_options(
        actions,
        "qa",
        "record one lab result: passes of every required test release the batch, a fail rejects it",
    )
    qa.add_argument(
        "--test",
        required=True,
        metavar="NAME",
        help="the test, e.g. beta-lactam (the plant setting lists the required ones)",
    )
    qa.add_argument("--result", required=True, metavar="pass|fail", help="the test's result")
    qa.add_argument("--analyst", required=True, metavar="NAME", help="who ran the test")
    qa.add_argument("--kit", metavar="TEXT", help="the test kit and lot (optional)")
    qa.add_argument("--sample-id", metavar="TEXT", help="the lab's sample id (optional)")
    qa.add_argument("--note", metavar="TEXT", help="anything else worth keeping (optional)")
    _finish_options(qa, cmd_qa)

    for name, text in (
        ("hold", "put a batch on hold: not to be used until released"),
        ("release", "release a batch's hold"),
    ):
        command = _code_and_options(actions, name, text)
        command.add_argument(
            "--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)"
        )
        command.set_defaults(command_name=name)
        _finish_options(command, cmd_hold_or_release)

    recall = _code_and_options(
        actions, "recall", "recall a batch for good, and list the orders that used it"
    )
    recall.add_argument(
        "--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)"
    )
    _finish_options(recall, cmd_recall)

    dispose = _code_and_options(actions, "dispose", "write litres off, with a reason code")
    amount = dispose.add_mutually_exclusive_group(required=True)
    amount.add_argument("--liters", metavar="L", help="litres to write off, e.g. 12.5")
    amount.add_argument("--all", action="store_true", help="write off all that remain")
    dispose.add_argument(
        "--reason-code",
        required=True,
        choices=[reason.value for reason in DisposeReason],
        metavar="REASON",
        help=f"why the milk left stock: one of {REASON_CHOICES} (other needs --note; "
        "rejected-load is for, and the only reason for, a batch rejected by QA)",
    )
    dispose.add_argument("--note", metavar="TEXT", help="what happened (required for other)")
    _finish_options(dispose, cmd_dispose)
