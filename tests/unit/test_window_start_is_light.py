"""What the window imports before its first paint: never the database layer.

SQLAlchemy and psycopg2 cost ~0.5 s to import; the window paints first and connects behind
it, on a worker. One stray import at the top of a module the window uses (it happened with
the clock-offset wording) silently puts that half second back in front of the first paint.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlalchemy", "psycopg2", "alembic", "keyring", "biip")


def test_the_window_and_its_app_module_import_no_database_layer() -> None:
    probe = (
        "import sys\n"
        "import dairy_desktop.ui.app, dairy_desktop.ui.main.window\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
