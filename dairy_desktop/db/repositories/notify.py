"""Telling other PCs that something changed (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

CHANGES_CHANNEL = "dairy_changes"


def notify_change(connection: Connection, payload: str) -> None:
    """Queue a notification; it reaches listening PCs only when (and if) the transaction
    commits. SQLite cannot push: its PCs poll a cheap change token instead."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_notify(CHANGES_CHANNEL, payload)))
