"""What each Settings field may hold, and trying the connection the form describes.

No widgets here: the dialog shows these reasons beside the fields.
"""

from __future__ import annotations

import os
from pathlib import Path

from dairy_desktop.config.local_settings import SQLITE, ConnectionSettings
from dairy_desktop.domain.codes import compile_code_pattern
from dairy_desktop.domain.errors import DairyError, InvalidInput
from dairy_desktop.domain.settings import PlantSettings, validate_time_zone
from dairy_desktop.domain.text import require_storable_text
from dairy_desktop.services.connection_check import check_database_url

MAX_OPERATOR_LENGTH = 128


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
            r"Code pattern is missing; every code would be refused. The default is "
            r"^[A-Z]{3}-\d{8}-\d{4}$."
        )
    checks = (
        (
            "plant_name",
            lambda: require_storable_text(plant.plant_name, field="plant_name", label="plant name"),
        ),
        ("code_pattern", lambda: compile_code_pattern(plant.code_pattern)),
        ("time_zone", lambda: validate_time_zone(plant.time_zone)),
    )
    for name, check in checks:
        if name in found:
            continue
        try:
            check()
        except InvalidInput as error:
            found[name] = str(error)
    return found


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
