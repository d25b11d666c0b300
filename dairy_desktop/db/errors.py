"""Translate driver errors into the product's refusals."""

from __future__ import annotations

from sqlalchemy import exc

from dairy_desktop.domain.errors import DatabaseUnavailable


def is_unavailable(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, exc.OperationalError | exc.InterfaceError)


def unavailable_from(error: BaseException, where: str) -> DatabaseUnavailable:
    detail = str(getattr(error, "orig", error)).strip().splitlines()
    first = detail[0] if detail else type(error).__name__
    return DatabaseUnavailable(
        f"Database unavailable ({where}): {first}. Check that the database server is running "
        "and reachable, then try again."
    )
