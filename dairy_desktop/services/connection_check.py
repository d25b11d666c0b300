"""Settings → Test connection: can this database URL be reached, and if not, why not.

Plain values in and out; nothing is created or migrated (the app does that when it opens).
"""

from __future__ import annotations

from dairy_desktop.db.database import open_database
from dairy_desktop.domain.errors import DairyError


def check_database_url(url: str, what: str) -> str:
    """Open `url` without upgrading it and ping it; `what` names it in the answer.

    Returns "Connected to <what>."; raises DairyError with the driver's first line of reason.
    """
    database = open_database(url, upgrade=False)
    try:
        database.ping()
    except DairyError:
        raise
    except Exception as error:
        detail = str(getattr(error, "orig", error)).strip().splitlines()
        reason = detail[0] if detail else type(error).__name__
        raise DairyError(f"Could not open {what}: {reason}.") from error
    finally:
        database.dispose()
    return f"Connected to {what}."
