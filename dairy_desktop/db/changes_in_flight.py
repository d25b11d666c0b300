"""Whether the server is still running a change whose connection was lost.

A change whose connection dropped may still be executing on the server (waiting for a row
lock up to lock_timeout, or running up to statement_timeout): PostgreSQL does not notice the
client has gone until it answers. A look-up of its request id finds nothing then, yet it may
commit a moment later. So each change statement starts with a comment naming its request
id, which pg_stat_activity shows (at its start, so a long reason cannot push it past
track_activity_query_size), and a session still executing one is a change not yet settled.

pg_stat_activity shows the query text of the same role's sessions: the look-up connects as
the change did.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from dairy_desktop.domain.request_id import validate_request_id

_STILL_RUNNING = text(
    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE state <> 'idle' "
    "AND pid <> pg_backend_pid() AND position(:marker in query) = 1)"
)


def request_marker(request_id: str) -> str:
    """The comment a change statement starts with. The id is checked against its pattern
    (no quote, no '*', no '%'), so it can neither end the comment nor upset the driver's
    parameter syntax."""
    return f"/* dairy-request {validate_request_id(request_id)} */ "


def marked(statement: str, request_id: str | None) -> str:
    """`statement` as sent: with its request id's marker first when it has one."""
    return statement if request_id is None else request_marker(request_id) + statement


def change_in_flight(connection: Connection, request_id: str) -> bool:
    """Whether another session is executing a change statement sent with `request_id`."""
    marker = request_marker(request_id)
    return bool(connection.execute(_STILL_RUNNING, {"marker": marker}).scalar_one())
