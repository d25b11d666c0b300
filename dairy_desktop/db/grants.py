"""The PostgreSQL grants for a daily-use role: exactly what the app needs, no more.

The tables belong to the owner role that runs `migrate`; the role the PCs log in with gets
only what daily work needs. It can read everything, register and change batches and plant
settings, and append audit events (and, through a trigger, settings history). It cannot change the schema (ALTER, DROP, DISABLE TRIGGER
are the owner's), and it cannot delete or rewrite the audit trail or the settings history:
no DELETE, TRUNCATE or UPDATE is granted on them (and their triggers refuse those anyway).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from dairy_desktop.domain.errors import InvalidInput

# PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
MAX_IDENTIFIER = 63

# table -> privileges; every table of the schema is named, so a new one is a conscious choice.
TABLE_PRIVILEGES = {
    "batches": "SELECT, INSERT, UPDATE",
    "audit_events": "SELECT, INSERT",
    "plant_settings": "SELECT, INSERT, UPDATE",
    # Appended to by the trigger on plant_settings, which runs as the role.
    "plant_setting_changes": "SELECT, INSERT",
    # Read at start-up to tell whether the schema is current.
    "alembic_version": "SELECT",
}
# nextval() for the ids of the rows the role inserts.
SEQUENCES = ("batches_id_seq", "audit_events_id_seq", "plant_setting_changes_id_seq")


def quote_identifier(name: str) -> str:
    """`name` as a PostgreSQL identifier, quoted, so any role or database name is safe."""
    if not name or len(name) > MAX_IDENTIFIER or "\x00" in name:
        raise InvalidInput(
            f"{name[:80]!r} is not a PostgreSQL name (1–{MAX_IDENTIFIER} characters).",
            field="role",
        )
    return '"' + name.replace('"', '""') + '"'


def grants_sql(role: str, database: str, schema: str = "public") -> str:
    """The SQL an administrator runs (as the owner) to let `role` use the app daily."""
    who, where, space = quote_identifier(role), quote_identifier(database), quote_identifier(schema)
    lines = [
        f"-- Daily use of Dairy Desktop by {who} (run as the owner of the schema).",
        f"-- The role itself: CREATE ROLE {who} LOGIN PASSWORD '…';",
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
        "-- Nothing else: no CREATE, no DELETE or TRUNCATE anywhere, no UPDATE of the audit.",
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
