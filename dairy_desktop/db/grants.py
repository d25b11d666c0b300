"""The PostgreSQL grants for a daily-use role: exactly what the app needs, no more.

The tables belong to the owner role that runs `migrate`; the role the PCs log in with gets
only what daily work needs. It can read everything, register batches and change the columns
a change writes (never a batch's code, dates, size or fat), change plant settings, and append
audit events (and, through a trigger, settings history). It cannot change the schema (ALTER,
DROP, DISABLE TRIGGER are the owner's), and it cannot delete or rewrite the audit trail or
the settings history: no DELETE, TRUNCATE or UPDATE is granted on them (and their triggers
refuse those anyway).

The printed SQL is piped into psql, so a name in it is SQL: names are refused unless they
are one printable line PostgreSQL would keep whole, and they never appear in a comment.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

# PostgreSQL truncates longer identifiers (NAMEDATALEN - 1), counted in bytes.
MAX_IDENTIFIER_BYTES = 63
# A refused name is quoted back cut to this many characters.
MAX_NAME_ECHO = 80

# The only batch columns a change (dairy_change, or the repository on SQLite) writes; the
# others (what a batch is, and its intake) are fixed at registration, and migrations 0004
# and 0005 refuse changes to them anyway. reserved_ml moves with reservations (0006).
BATCH_CHANGE_COLUMNS = (
    "remaining_ml",
    "version",
    "deleted_at",
    "updated_at",
    "updated_by",
    "updated_workstation",
    "qa_state",
    "held_at",
    "recalled_at",
    "reserved_ml",
)

# table -> privileges; every table of the schema is named, so a new one is a conscious choice.
TABLE_PRIVILEGES = {
    "batches": f"SELECT, INSERT, UPDATE ({', '.join(BATCH_CHANGE_COLUMNS)})",
    "audit_events": "SELECT, INSERT",
    # Written by dairy_change (migration 0006) with each reserve, unreserve and consume.
    "reservations": "SELECT, INSERT, UPDATE, DELETE",
    "plant_settings": "SELECT, INSERT, UPDATE",
    # Appended to by the trigger on plant_settings, which runs as the role.
    "plant_setting_changes": "SELECT, INSERT",
    # Read at start-up to tell whether the schema is current.
    "alembic_version": "SELECT",
}
# nextval() for the ids of the rows the role inserts.
SEQUENCES = (
    "batches_id_seq",
    "audit_events_id_seq",
    "plant_setting_changes_id_seq",
    "reservations_id_seq",
)


def quote_identifier(name: str, *, what: str = "role", field: str = "role") -> str:
    """`name` as a PostgreSQL identifier, quoted; InvalidInput unless it is 1–63 UTF-8 bytes
    of printable text (no line break or other control character could end the quoting's
    line in psql, and PostgreSQL would silently cut a longer name to another one)."""
    if not name or not name.isprintable():
        raise InvalidInput(
            f"{_shown(name)} is not a usable PostgreSQL {what} name: it must be printable "
            "text, without line breaks or other control characters.",
            field=field,
        )
    if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        raise InvalidInput(
            f"{_shown(name)} is not a usable PostgreSQL {what} name: at most "
            f"{MAX_IDENTIFIER_BYTES} bytes in UTF-8 (PostgreSQL would cut it short).",
            field=field,
        )
    return '"' + name.replace('"', '""') + '"'


def _shown(name: str) -> str:
    return quoted(name, limit=MAX_NAME_ECHO) if name else "An empty name"


def grants_sql(role: str, database: str, schema: str = "public") -> str:
    """The SQL an administrator runs (as the owner) to let `role` use the app daily. The
    names appear only in statements, quoted: a comment line would end at a line break."""
    who = quote_identifier(role)
    where = quote_identifier(database, what="database", field="database_url")
    space = quote_identifier(schema, what="schema", field="schema")
    lines = [
        "-- Daily use of Dairy Desktop by the role granted below; run as the schema's owner.",
        "-- The role must exist already: CREATE ROLE … LOGIN PASSWORD '…';",
        f"GRANT CONNECT ON DATABASE {where} TO {who};",
        f"GRANT USAGE ON SCHEMA {space} TO {who};",
    ]
    lines += [
        f"GRANT {privileges} ON TABLE {space}.{table} TO {who};"
        for table, privileges in TABLE_PRIVILEGES.items()
    ]
    lines += [f"GRANT USAGE ON SEQUENCE {space}.{name} TO {who};" for name in SEQUENCES]
    lines += [
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {space} TO {who};",
        "-- Nothing else: no CREATE, no TRUNCATE, no DELETE but of a reservation let go,",
        "-- no UPDATE of the audit.",
    ]
    return "\n".join(lines) + "\n"


def grants_for_url(role: str, url: str) -> str:
    """grants_sql for the database `url` names; PostgreSQL only (SQLite has no roles)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        raise InvalidInput(
            "Grants exist only on PostgreSQL: pass --database-url postgresql://owner@host/db "
            "(an SQLite file is protected by the file's own permissions).",
            field="database_url",
        )
    return grants_sql(role, parsed.database)
