"""print-sheet and print-label: the daily expiry sheet and batch labels from a scheduled job.

Every refusal (bad date, unknown code or printer, no database) comes before anything is
written or sent to a printer, and a PDF appears only complete (see printing.pdf_output).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from dairy_desktop.cli.exit_codes import EXIT_FAILED, EXIT_OK
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.errors import DairyError, InvalidInput

SIZE_PATTERN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*")


class PrintFailed(DairyError):
    """The file or printer failed while printing (disk full, printer refused the job)."""

    exit_code = EXIT_FAILED


def _days(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"--days must be a whole number, not {value!r}.", field="days") from None


def _label_size(text: str) -> tuple[float, float]:
    match = SIZE_PATTERN.fullmatch(text)
    if match is None:
        raise InvalidInput(
            f"Label size {text!r} is not WIDTHxHEIGHT in millimetres, e.g. 100x50.", field="size"
        )
    width, height = float(match[1]), float(match[2])
    if width <= 0 or height <= 0:
        raise InvalidInput(f"Label size {text!r} must be more than 0 mm each way.", field="size")
    return width, height


def _output_path(text: str) -> Path:
    """Refuse an --output that can never be written, before the database is even opened."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise InvalidInput(f"--output {text!r} is a folder; give a file name.", field="output")
    if not path.parent.is_dir():
        raise InvalidInput(
            f"--output folder {str(path.parent)!r} does not exist; create it first.",
            field="output",
        )
    return path


def _check_target(args: argparse.Namespace) -> Path | None:
    # Qt GUI: only for printing, and only once the command is known to print.
    from dairy_desktop.printing.print_target import ensure_gui_app, require_printer

    if args.output is not None:
        return _output_path(args.output)
    ensure_gui_app()
    require_printer(args.printer)
    return None


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def cmd_print_sheet(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database) and Qt GUI: only when this command runs.
    from dairy_desktop.printing import print_target
    from dairy_desktop.printing.page_setup import sheet_page_layout
    from dairy_desktop.printing.sheet.render import render_sheet, render_sheet_pdf
    from dairy_desktop.printing.sheet.source import (
        parse_sheet_date,
        sheet_from_listing,
        validate_sheet_days,
    )
    from dairy_desktop.services.queries import list_batches
    from dairy_desktop.services.reservations import list_reservations

    sheet_date = parse_sheet_date(args.date) if args.date is not None else None
    days = validate_sheet_days(_days(args.days)) if args.days is not None else None
    output = _check_target(args)
    database = open_for(args)
    listing = list_batches(database)
    sheet = sheet_from_listing(
        listing,
        actor_for(args),
        sheet_date=sheet_date,
        days=days,
        reservations=list_reservations(database),
    )
    print_target.ensure_gui_app()
    what = f"Daily expiry sheet for {sheet.sheet_date.isoformat()}"
    try:
        if output is not None:
            pages = render_sheet_pdf(sheet, output)
            print(f"{what}: {_pages(pages)} written to {output.resolve()}")
        else:
            layout = sheet_page_layout(print_target.printer_page_size(args.printer))
            printer = print_target.named_printer(args.printer, layout, what)
            pages = render_sheet(sheet, printer)
            print(f"{what}: {_pages(pages)} sent to printer {args.printer!r}")
    except OSError as error:
        raise PrintFailed(f"{what} not printed: {error}") from error
    return EXIT_OK


def cmd_print_label(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database) and Qt GUI: only when this command runs.
    from dairy_desktop.printing import print_target
    from dairy_desktop.printing.label.render import (
        label_page_layout,
        render_label,
        render_label_pdf,
    )
    from dairy_desktop.services.plant_settings import get_plant_settings
    from dairy_desktop.services.queries import get_batch

    size = _label_size(args.size)
    output = _check_target(args)
    database = open_for(args)
    batch = get_batch(database, args.code)
    zone = get_plant_settings(database).zone
    print_target.ensure_gui_app()
    what = f"Label for batch {batch.code}"
    try:
        if output is not None:
            render_label_pdf(batch, output, zone=zone, size_mm=size)
            print(f"{what}: 1 page written to {output.resolve()}")
        else:
            printer = print_target.named_printer(args.printer, label_page_layout(size), what)
            render_label(batch, printer, zone=zone)
            print(f"{what}: 1 page sent to printer {args.printer!r}")
    except OSError as error:
        raise PrintFailed(f"{what} not printed: {error}") from error
    return EXIT_OK


def _target_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--output", metavar="FILE.pdf", help="write a PDF file")
    target.add_argument("--printer", metavar="NAME", help="send to this installed printer")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sheet = commands.add_parser(
        "print-sheet",
        help="print the daily expiry sheet or save it as PDF",
        description="The daily expiry sheet: expired, expiring that day, and expiring within "
        "N days, by the sheet date in the plant's time zone; litres as of now.",
    )
    sheet.add_argument("--date", metavar="YYYY-MM-DD", help="sheet date (default: plant today)")
    sheet.add_argument("--days", metavar="N", help="plan horizon (default: plant setting)")
    _target_options(sheet)
    sheet.set_defaults(handler=cmd_print_sheet)

    label = commands.add_parser("print-label", help="print a batch label or save it as PDF")
    label.add_argument("code", metavar="CODE", help="the batch to label")
    label.add_argument(
        "--size", default="100x50", metavar="WxH", help="label size in mm (default: 100x50)"
    )
    _target_options(label)
    label.set_defaults(handler=cmd_print_label)
