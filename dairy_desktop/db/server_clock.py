"""The database server's clock, read in one round trip."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.errors import is_unavailable, unavailable_from

# clock_timestamp(), not now(): now() is the start of the transaction.
_NOW = text("SELECT clock_timestamp()")


def server_now(engine: Engine) -> datetime:
    """The PostgreSQL server's time at the moment it runs the query, aware UTC."""
    try:
        try:
            return _read(engine)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # A pooled connection a server restart left dead (there is no pre-ping): the
            # pool has discarded it, and a fresh one tells whether the server answers.
            return _read(engine)
    except Exception as error:
        if is_unavailable(error):
            raise unavailable_from(error, engine.dialect.name) from error
        raise


def _read(engine: Engine) -> datetime:
    with engine.connect() as connection:
        moment: datetime = connection.execute(_NOW).scalar_one()
    return moment
