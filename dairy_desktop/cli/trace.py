"""`trace`: where a batch's milk went (`trace batch`), what milk went into an order
(`trace order`), and the recall spreadsheet (`trace recall CODE --csv FILE`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.liters import format_liters

_CSV_HELP = "write the trace as a CSV file (UTF-8, header row, one row per fact) instead"


def cmd_trace_batch(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.trace import trace_batch
    from dairy_desktop.services.trace_csv import check_csv_target, trace_rows
    from dairy_desktop.services.trace_serialize import batch_trace_to_dict

    code = validate_code_shape(args.code)
    target = None if args.csv is None else check_csv_target(args.csv)
    trace = trace_batch(open_for(args), code)
    if target is not None:
        _write_csv(target, trace_rows([trace]))
    elif args.json:
        print_json(batch_trace_to_dict(trace))
    else:
        _print_batch(batch_trace_to_dict(trace))
    return EXIT_OK


def cmd_trace_order(args: argparse.Namespace) -> int:
    from dairy_desktop.services.trace import parse_order_id, trace_order
    from dairy_desktop.services.trace_csv import check_csv_target, order_trace_rows
    from dairy_desktop.services.trace_serialize import order_trace_to_dict

    order = parse_order_id(args.order)
    target = None if args.csv is None else check_csv_target(args.csv)
    trace = trace_order(open_for(args), order)
    if target is not None:
        _write_csv(target, order_trace_rows(trace))
        return EXIT_OK
    facts = order_trace_to_dict(trace)
    if args.json:
        print_json(facts)
        return EXIT_OK
    print(
        f"Order {facts['order_id']}: {facts['used_liters']} L from {len(trace.batches)} batch(es)"
    )
    for batch in facts["batches"]:
        print()
        _print_batch(batch)
    return EXIT_OK


def cmd_trace_recall(args: argparse.Namespace) -> int:
    from dairy_desktop.services.recall_export import export_recall_csv

    code = validate_code_shape(args.code)
    done = export_recall_csv(open_for(args), code, args.csv)
    orders = done.trace.orders
    used = format_liters(done.trace.used_liters)
    if done.rows:
        print(
            f"Wrote {done.rows} use(s) of batch {code} ({used} L into {len(orders)} order(s): "
            f"{', '.join(orders) or 'none named'}) to {done.path}"
        )
    else:
        print(f"Batch {code} was not used for any order; wrote the header only to {done.path}")
    return EXIT_OK


def _write_csv(target: Path, rows: list[list[object]]) -> None:
    from dairy_desktop.services.trace_csv import TRACE_CSV_COLUMNS, write_csv_atomically

    written = write_csv_atomically(target, TRACE_CSV_COLUMNS, rows)
    print(f"Wrote {written} row(s) to {target}")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _print_batch(facts: dict[str, Any]) -> None:
    """A block per batch: its intake in two lines, then a table per kind of fact."""
    print(
        f"Batch {facts['code']}  {facts['status']}  remaining {facts['remaining_liters']} of "
        f"{facts['initial_liters']} L, used {facts['used_liters']} L"
    )
    temperature = facts["temperature_c"]
    print(
        f"  received {facts['received_at']}  expires {facts['expires_at']}  supplier "
        f"{_text(facts['supplier']) or '-'}  tanker {_text(facts['tanker']) or '-'}  seal "
        f"{_text(facts['seal']) or '-'}  temperature "
        f"{'-' if temperature is None else temperature + ' °C'}"
    )
    _section(
        "Uses",
        facts["uses"],
        ["at", "order_id", "liters", "operator", "workstation", "event_id", "reversed by"],
        lambda use: [
            use["at"],
            _text(use["order_id"]),
            use["liters"],
            use["operator"],
            use["workstation"],
            str(use["event_id"]),
            _reversal_text(use["reversal"]),
        ],
    )
    _section(
        "Disposals",
        facts["disposals"],
        ["at", "reason_code", "liters", "operator", "workstation", "event_id", "reversed by"],
        lambda disposal: [
            disposal["at"],
            _text(disposal["reason_code"]),
            disposal["liters"],
            disposal["operator"],
            disposal["workstation"],
            str(disposal["event_id"]),
            _reversal_text(disposal["reversal"]),
        ],
    )
    _section(
        "QA results",
        facts["qa_results"],
        ["at", "test", "result", "analyst", "kit", "sample_id"],
        lambda finding: [
            finding["at"],
            _text(finding["test"]),
            _text(finding["result"]),
            _text(finding["analyst"]),
            _text(finding["kit"]),
            _text(finding["sample_id"]),
        ],
    )


def _reversal_text(reversal: dict[str, Any] | None) -> str:
    if reversal is None:
        return ""
    return f"#{reversal['event_id']} {reversal['at']} {reversal['operator']}"


def _section(title: str, items: list[dict[str, Any]], headers: list[str], row: Any) -> None:
    print(f"  {title}: {len(items) or 'none'}")
    if items:
        print_table([row(item) for item in items], headers)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    trace = commands.add_parser(
        "trace", help="where a batch's milk went, what milk went into an order, recall lists"
    )
    kinds = trace.add_subparsers(
        dest="trace_command", required=True, metavar="WHAT", help="a batch, an order, a recall"
    )

    batch = kinds.add_parser(
        "batch", help="every order that used the batch, its disposals, QA results and intake"
    )
    batch.add_argument("code", metavar="CODE", help="the batch code (exit 4 if there is none)")
    _output_options(batch)
    batch.set_defaults(handler=cmd_trace_batch)

    order = kinds.add_parser("order", help="every batch that went into the order, same facts")
    order.add_argument(
        "order", metavar="ORDER", help="the order id (exit 4 if nothing was consumed for it)"
    )
    _output_options(order)
    order.set_defaults(handler=cmd_trace_order)

    recall = kinds.add_parser(
        "recall", help="the recall spreadsheet: one row per use of the batch's milk"
    )
    recall.add_argument("code", metavar="CODE", help="the batch code (exit 4 if there is none)")
    recall.add_argument(
        "--csv", metavar="FILE", required=True, help="the CSV file to write (UTF-8, header row)"
    )
    recall.set_defaults(handler=cmd_trace_recall)


def _output_options(parser: argparse.ArgumentParser) -> None:
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help=JSON_HELP)
    output.add_argument("--csv", metavar="FILE", help=_CSV_HELP)
