"""What each Settings field may hold, and trying the connection the form describes.

No widgets here: the dialog shows these reasons beside the fields.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dairy_desktop.config.local_settings import SQLITE, ConnectionSettings
from dairy_desktop.domain.code_example import example_code
from dairy_desktop.domain.codes import compile_code_pattern
from dairy_desktop.domain.errors import DairyError, InvalidInput
from dairy_desktop.domain.intake import MAX_SUPPLIER, parse_temperature
from dairy_desktop.domain.qa import parse_required_tests
from dairy_desktop.domain.settings import (
    PlantSettings,
    validate_product_description,
    validate_temperature_limit,
    validate_time_zone,
)
from dairy_desktop.domain.text import require_storable_text
from dairy_desktop.services.connection_check import check_database_url
from dairy_desktop.ui.widgets.locale_decimal import plain_number

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession

MAX_OPERATOR_LENGTH = 128
# What operators are shown instead of a regular expression: a code the default accepts.
EXAMPLE_CODE = "SCH-20251204-0001"


def check_connection(form: ConnectionSettings) -> str:
    """Try the connection the form describes (run it off the GUI thread).

    Returns what was reached; raises DairyError (or the driver's error) with the reason.
    """
    if form.kind == SQLITE:
        path = Path(form.sqlite_path.strip()).expanduser().absolute()
        if not path.exists():
            return _new_sqlite_file(path)
        what = f"the SQLite file {path}"
    else:
        what = f"database {form.database.strip()!r} on {form.host.strip()}:{form.port.strip()}"
        what += f" as {form.user.strip()}"
    return check_database_url(form.url(), what)


def _new_sqlite_file(path: Path) -> str:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        raise DairyError(
            f"Cannot create {path}: you may not write in {folder}. Choose another folder."
        )
    return f"No database file at {path} yet; a new, empty one will be created there."


def connection_failure_message(error: BaseException) -> str:
    if isinstance(error, DairyError):
        return str(error)
    return f"Could not connect: {error}"


def plant_problems(plant: PlantSettings) -> dict[str, str]:
    found: dict[str, str] = {}
    if not plant.plant_name:
        found["plant_name"] = "Plant name is missing: it heads the window and the printed sheets."
    if not plant.code_pattern:
        found["code_pattern"] = (
            "Code pattern is missing; every code would be refused. For codes like "
            f"{EXAMPLE_CODE}, enter the default shown greyed in the field."
        )
    checks = (
        (
            "plant_name",
            lambda: require_storable_text(plant.plant_name, field="plant_name", label="plant name"),
        ),
        ("code_pattern", lambda: compile_code_pattern(plant.code_pattern)),
        ("time_zone", lambda: validate_time_zone(plant.time_zone)),
        ("qa_required_tests", lambda: parse_required_tests(plant.qa_required_tests)),
        ("temperature_limit", lambda: validate_temperature_limit(plant.temperature_limit_deci)),
        ("suppliers", lambda: _suppliers_fit(plant)),
        ("product_description", lambda: validate_product_description(plant.product_description)),
    )
    for name, check in checks:
        if name in found:
            continue
        try:
            check()
        except InvalidInput as error:
            found[name] = str(error)
    return found


def _suppliers_fit(plant: PlantSettings) -> None:
    """Each supplier name storable and short enough, as saving checks it."""
    for name in plant.supplier_list:
        require_storable_text(name, field="suppliers", label="supplier name")
        if len(name) > MAX_SUPPLIER:
            raise InvalidInput(
                f"Supplier {name[:40]!r}… is too long (at most {MAX_SUPPLIER} characters).",
                field="suppliers",
            )


def temperature_limit_deci(text: str) -> int:
    """The limit as typed in the PC's number format (°C, one decimal) → tenths of °C."""
    typed = text.strip().removesuffix("°C").removesuffix("C").strip()
    plain = plain_number(typed, what="Temperature limit", field="temperature_limit")
    deci = parse_temperature(plain or None, field="temperature_limit")
    if deci is None:
        raise InvalidInput(
            "The temperature limit is missing: e.g. 7.0 °C (the PMO's 45 °F).",
            field="temperature_limit",
        )
    return validate_temperature_limit(deci)


def normalized_tests(text: str) -> str:
    """The required tests as stored: one comma-separated list, or the text as typed when it
    cannot be read (its problem is shown beside the field)."""
    try:
        return ",".join(parse_required_tests(text))
    except InvalidInput:
        return text.strip()


def normalized_suppliers(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def operator_problem(text: str) -> str | None:
    try:
        require_storable_text(text, field="operator", label="operator name")
    except InvalidInput as error:
        return str(error)
    if len(text.strip()) > MAX_OPERATOR_LENGTH:
        return (
            f"Operator name is {len(text.strip())} characters long; at most "
            f"{MAX_OPERATOR_LENGTH} are kept in the audit trail."
        )
    return None


@dataclass(frozen=True, slots=True)
class PatternFit:
    """How the batch codes already in the database fare under a code pattern."""

    total: int
    not_matching: int
    example: str | None
    """One code that does not match, to show; None when all match."""


def pattern_fit(codes: Iterable[str], pattern: str) -> PatternFit:
    compiled = compile_code_pattern(pattern)
    total, misfits = 0, []
    for code in codes:
        total += 1
        if not compiled.fullmatch(code):
            misfits.append(code)
    return PatternFit(total, len(misfits), min(misfits) if misfits else None)


def existing_pattern_fit(session: AppSession, pattern: str) -> PatternFit:
    """Every batch's code, deleted ones too (they can be restored), against `pattern`.

    Run it on a worker: it reads the whole listing. It returns plain values only.
    """
    return pattern_fit((batch.code for batch in session.listing().batches), pattern)


def pattern_example(pattern: str) -> str:
    """What the pattern accepts, as a code rather than a regular expression ("" if unknown)."""
    example = example_code(pattern)
    return f"Codes like {example} match." if example else ""


def pattern_warning(fit: PatternFit, pattern: str) -> str | None:
    """The question to ask before saving a pattern that existing codes do not match."""
    if not fit.not_matching:
        return None
    example = example_code(pattern)
    new_codes = f" New codes would look like {example}." if example else ""
    return (
        f"{fit.not_matching} of {fit.total} existing batch codes do not match the new "
        f"pattern, e.g. {fit.example}.{new_codes}\n\nThose batches stay as they are, but "
        "their labels would no longer scan as batch codes, and a delivery with such a code "
        "could not be registered.\n\nSave anyway?"
    )
