"""`report consumption`: litres consumed, minus reversals, per order, plant day or operator,
as a table, JSON or a CSV file (services/consumption_report.py says what counts where)."""

from __future__ import annotations

import argparse
from pathlib import Path

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.domain.consumption import NO_ORDER, Grouping
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.report_period import ReportPeriod, parse_plant_day
from dairy_desktop.domain.text import quoted


def _csv_path(text: str) -> Path:
    """Refuse a --csv that can never be written, before the database is even opened."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise InvalidInput(f"--csv {quoted(text)} is a folder; give a file name.", field="csv")
    if not path.parent.is_dir():
        raise InvalidInput(
            f"--csv folder {quoted(str(path.parent))} does not exist; create it first.",
            field="csv",
        )
    return path


def _period(args: argparse.Namespace) -> ReportPeriod:
    first = None if args.from_day is None else parse_plant_day(args.from_day, label="--from")
    last = None if args.to_day is None else parse_plant_day(args.to_day, label="--to")
    # A start after the end is refused by ReportPeriod itself, naming both days.
    return ReportPeriod(first, last)


def cmd_report_consumption(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.consumption_csv import write_report_csv
    from dairy_desktop.services.consumption_report import (
        TOTAL_KEYS,
        consumption_report,
        report_to_dict,
    )

    period = _period(args)
    target = None if args.csv is None else _csv_path(args.csv)
    report = consumption_report(open_for(args), by=Grouping(args.by), period=period)
    if target is not None:
        groups = write_report_csv(report, target)
        print(f"Consumption by {report.by.value}: {groups} rows and a total written to {target}")
        return EXIT_OK
    shaped = report_to_dict(report)
    if args.json:
        print_json(shaped)
        return EXIT_OK
    span = f"{shaped['from'] or 'the beginning'} to {shaped['to'] or 'now'}"
    print(f"Consumption by {report.by.value}, {span} (plant days, {report.time_zone})")
    rows = [
        [NO_ORDER if r["key"] is None else r["key"], *map(str, (r[k] for k in TOTAL_KEYS))]
        for r in shaped["rows"]
    ]
    total = shaped["total"]
    rows.append(["total", *(str(total[k]) for k in TOTAL_KEYS)])
    print_table(rows, [report.by.value, *TOTAL_KEYS])
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="reports: consumption totals")
    reports = report.add_subparsers(
        dest="report_command", metavar="REPORT", required=True, help="which report"
    )
    consumption = reports.add_parser(
        "consumption",
        help="litres consumed minus reversals, per order, plant day or operator",
        description="Litres consumed, minus the litres their reversals put back, per group "
        "and in total. A reversal counts in the group and period of the consume it undoes, "
        "whenever it was made; write-offs (dispose) are not consumption.",
    )
    consumption.add_argument(
        "--from",
        dest="from_day",
        metavar="YYYY-MM-DD",
        help="first plant day, included (default: the first consume)",
    )
    consumption.add_argument(
        "--to",
        dest="to_day",
        metavar="YYYY-MM-DD",
        help="last plant day, included (default: the last consume)",
    )
    consumption.add_argument(
        "--by",
        choices=[g.value for g in Grouping],
        default=Grouping.ORDER.value,
        help="one row per order (default), plant day or operator who consumed",
    )
    output = consumption.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=JSON_HELP)
    output.add_argument(
        "--csv", metavar="FILE", help="write a CSV file (UTF-8, header row) instead"
    )
    consumption.set_defaults(handler=cmd_report_consumption)
