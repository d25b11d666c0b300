"""`plan [--days N] [--json]`: per plant day, the litres expiring that day, available and
reserved, with their weighted fat % (services/plan.py)."""

from __future__ import annotations

import argparse
from datetime import date

from dairy_desktop.cli.change_send import int_arg, server_now
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.domain.plan import DEFAULT_PLAN_DAYS, MAX_PLAN_DAYS

TABLE_HEADERS = ["date", "available_L", "reserved_L", "fat_%", "batches", "not_released"]


def _day_text(iso: str) -> str:
    """'Thu 2025-12-04': the weekday helps a planner, ISO keeps the date unambiguous."""
    return f"{date.fromisoformat(iso):%a} {iso}"


def cmd_plan(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.plan import load_plan, plan_to_dict

    database = open_for(args)
    plan = plan_to_dict(load_plan(database, days=args.days, now=server_now(database)))
    if args.json:
        print_json(plan)
        return EXIT_OK
    rows = [
        [
            _day_text(day["date"]),
            day["available_liters"],
            day["reserved_liters"],
            day["fat_percent"] or "—",
            str(day["batches"]),
            _not_released(day["on_hold_batches"], day["awaiting_qa_batches"]),
        ]
        for day in plan["days"]
    ]
    print(f"Plan from {plan['today']} ({plan['time_zone']}): litres expiring each day")
    print_table(rows, TABLE_HEADERS)
    return EXIT_OK


def _not_released(held: int, pending: int) -> str:
    """Batches counted in the day that may not be used yet: on hold or awaiting QA."""
    parts = [f"{held} on hold" if held else "", f"{pending} awaiting QA" if pending else ""]
    return ", ".join(part for part in parts if part)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = commands.add_parser(
        "plan",
        help="litres expiring on each plant day from today: available, reserved, fat %%",
    )
    plan.add_argument(
        "--days",
        type=int_arg("--days", "days", 0, MAX_PLAN_DAYS),
        default=DEFAULT_PLAN_DAYS,
        metavar="N",
        help=f"days after today, 0-{MAX_PLAN_DAYS} (default: {DEFAULT_PLAN_DAYS})",
    )
    plan.add_argument("--json", action="store_true", help=JSON_HELP)
    plan.set_defaults(handler=cmd_plan)
