"""The database server's clock, read in one round trip."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text

from dairy_desktop.db.errors import is_unavailable, unavailable_from


def server_now(engine: Engine) -> datetime:
    """The PostgreSQL server's time at the moment it runs the query (clock_timestamp(), not
    now(): that is the start of the transaction), aware UTC."""
    try:
        with engine.connect() as connection:
            moment: datetime = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
    except Exception as error:
        if is_unavailable(error):
            raise unavailable_from(error, engine.dialect.name) from error
        raise
    return moment
