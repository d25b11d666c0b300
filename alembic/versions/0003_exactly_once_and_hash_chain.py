"""Request ids (exactly once), the database login, the audit hash chain, and on PostgreSQL
one function per change so that each change is a single statement.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

audit_events gains request_id (unique: the same change sent twice is stored once), db_user
(the database login), prev_hash and hash (dairy_desktop.domain.audit_chain: one chain per
batch). Events already stored keep NULL there; verify starts a batch's chain at its first
hashed event, whose prev_hash is the genesis value.

On PostgreSQL, dairy_change() (consume, delete, restore) and dairy_register() do in one
statement what a change needs: the request-id replay, the guard checked with the server's
clock on the row as it is once locked, the batch update, the audit event with its hash,
and the change notification. Called on an autocommit connection there is no BEGIN or COMMIT round
trip. They return an outcome ('changed', 'replayed', 'refused'), the instant the guard used,
the batch (as left, or as it is when refused; NULL when there is none) and the event.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH_OUT = (
    ("id", "bigint"),
    ("code", "text"),
    ("received_at", "timestamptz"),
    ("shelf_life_days", "integer"),
    ("expires_at", "timestamptz"),
    ("initial_ml", "bigint"),
    ("remaining_ml", "bigint"),
    ("fat_centi", "integer"),
    ("version", "integer"),
    ("deleted_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("updated_by", "text"),
    ("updated_workstation", "text"),
)
_EVENT_OUT = (
    ("id", "bigint"),
    ("at", "timestamptz"),
    ("action", "text"),
    ("liters_ml", "bigint"),
    ("remaining_after_ml", "bigint"),
    ("version_after", "integer"),
    ("order_id", "text"),
    ("operator", "text"),
    ("workstation", "text"),
    ("reason", "text"),
    ("correlation_id", "text"),
    ("request_id", "text"),
    ("db_user", "text"),
    ("prev_hash", "text"),
    ("hash", "text"),
)

# What every change function returns, in this order (the repository reads it by position).
_OUT_PARAMS = ",\n    ".join(
    [
        "OUT r_outcome text",
        "OUT r_at timestamptz",
        *(f"OUT b_{name} {kind}" for name, kind in _BATCH_OUT),
        *(f"OUT e_{name} {kind}" for name, kind in _EVENT_OUT),
    ]
)
_ASSIGN_OUT = "\n    ".join(
    [
        *(f"b_{name} := b.{name};" for name, _ in _BATCH_OUT),
        *(f"e_{name} := e.{name};" for name, _ in _EVENT_OUT),
    ]
)

# domain.audit_chain.canonical(), in SQL: each field as <length in characters>:<text>, NULL
# as '~', instants in UTC with microseconds. The database is UTF8 (char_length counts code
# points, as Python's len does) and the digest is over the UTF-8 bytes. PL/pgSQL, written
# out field by field: a SQL-language helper per field is not inlined for such arguments and
# was re-planned on every call (0.6 ms per change).
_CHAIN_FIELDS = (
    ("p_batch_code", "text", "p_batch_code"),
    ("p_action", "text", "p_action"),
    (
        "p_at",
        "timestamptz",
        """to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
    ),
    ("p_liters_ml", "bigint", "p_liters_ml::text"),
    ("p_remaining_after_ml", "bigint", "p_remaining_after_ml::text"),
    ("p_version_after", "integer", "p_version_after::text"),
    ("p_order_id", "text", "p_order_id"),
    ("p_operator", "text", "p_operator"),
    ("p_workstation", "text", "p_workstation"),
    ("p_reason", "text", "p_reason"),
    ("p_request_id", "text", "p_request_id"),
    ("p_db_user", "text", "p_db_user"),
    ("p_prev_hash", "text", "p_prev_hash"),
)
_CHAIN_PARAMS = ", ".join(f"{name} {kind}" for name, kind, _ in _CHAIN_FIELDS)
_CHAIN_TEXT = "\n        || ".join(
    f"CASE WHEN {name} IS NULL THEN '~' ELSE char_length({value}) || ':' || {value} END"
    for name, _, value in _CHAIN_FIELDS
)
_PG_CHAIN = f"""
CREATE FUNCTION dairy_event_hash({_CHAIN_PARAMS}) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN encode(sha256(convert_to(
        {_CHAIN_TEXT},
    'UTF8')), 'hex');
END
$$;
"""

# Append the event for the change that left batch `b`, chained to `v_prev`; then notify.
_PG_APPEND_EVENT = """
    INSERT INTO audit_events (
        at, batch_id, action, liters_ml, remaining_after_ml, version_after, order_id,
        operator, workstation, reason, correlation_id, request_id, db_user, prev_hash, hash)
    VALUES (
        r_at, b.id, p_action, p_ml, b.remaining_ml, b.version, p_order_id,
        p_operator, p_workstation, p_reason, p_correlation_id, p_request_id, current_user,
        v_prev,
        dairy_event_hash(b.code, p_action, r_at, p_ml, b.remaining_ml, b.version, p_order_id,
            p_operator, p_workstation, p_reason, p_request_id, current_user, v_prev))
    RETURNING * INTO e;
    PERFORM pg_notify('dairy_changes', b.code);
    r_outcome := 'changed';
"""

# A change whose request id is stored already: nothing changes, the first result comes back.
_PG_REPLAY = """
    IF p_request_id IS NOT NULL THEN
        SELECT * INTO e FROM audit_events WHERE request_id = p_request_id;
        IF FOUND THEN
            SELECT * INTO b FROM batches WHERE id = e.batch_id;
            r_outcome := 'replayed';
            r_at := e.at;
            {assign}
            RETURN;
        END IF;
    END IF;
"""

_PG_CHANGE = f"""
CREATE FUNCTION dairy_change(
    p_action text, p_code text, p_ml bigint, p_expected_version integer, p_order_id text,
    p_reason text, p_operator text, p_workstation text, p_correlation_id text,
    p_request_id text,
    {_OUT_PARAMS}
) LANGUAGE plpgsql AS $$
DECLARE
    b batches%ROWTYPE;
    e audit_events%ROWTYPE;
    v_prev text;
    v_now timestamptz;
BEGIN
    {_PG_REPLAY.format(assign=_ASSIGN_OUT)}
    -- One instant for the guard and for every time written: the server's clock, or the
    -- batch's last change if that is later (a waiter that arrived before the change it
    -- waited for, or a clock step back), so an event never sorts before the one it follows.
    -- In the WHERE it is re-evaluated on the row as it is once the lock is held.
    v_now := clock_timestamp();
    UPDATE batches SET
        remaining_ml = CASE WHEN p_action = 'consume' THEN remaining_ml - p_ml
                            ELSE remaining_ml END,
        deleted_at = CASE p_action WHEN 'delete' THEN GREATEST(v_now, updated_at)
                                   WHEN 'restore' THEN NULL
                                   ELSE deleted_at END,
        version = version + 1,
        updated_at = GREATEST(v_now, updated_at),
        updated_by = p_operator,
        updated_workstation = p_workstation
    WHERE code = p_code
        AND (p_expected_version IS NULL OR version = p_expected_version)
        AND (CASE p_action
            WHEN 'consume' THEN remaining_ml >= p_ml AND deleted_at IS NULL
                AND expires_at > GREATEST(v_now, updated_at)
            WHEN 'delete' THEN deleted_at IS NULL
            WHEN 'restore' THEN deleted_at IS NOT NULL
        END)
    RETURNING * INTO b;
    IF NOT FOUND THEN
        SELECT * INTO b FROM batches WHERE code = p_code;
        r_outcome := 'refused';
        r_at := GREATEST(v_now, b.updated_at);
        {_ASSIGN_OUT}
        RETURN;
    END IF;
    r_at := b.updated_at;
    SELECT hash INTO v_prev FROM audit_events
        WHERE batch_id = b.id ORDER BY id DESC LIMIT 1;
    v_prev := COALESCE(v_prev, repeat('0', 64));
    {_PG_APPEND_EVENT}
    {_ASSIGN_OUT}
END
$$;
"""

_PG_REGISTER = f"""
CREATE FUNCTION dairy_register(
    p_code text, p_received_at timestamptz, p_shelf_life_days integer, p_initial_ml bigint,
    p_fat_centi integer, p_operator text, p_workstation text, p_correlation_id text,
    p_request_id text,
    {_OUT_PARAMS}
) LANGUAGE plpgsql AS $$
DECLARE
    b batches%ROWTYPE;
    e audit_events%ROWTYPE;
    v_prev text := repeat('0', 64);
    v_received timestamptz;
    p_action text := 'register';
    p_ml bigint := p_initial_ml;
    p_order_id text := NULL;
    p_reason text := NULL;
BEGIN
    {_PG_REPLAY.format(assign=_ASSIGN_OUT)}
    r_at := clock_timestamp();
    v_received := COALESCE(p_received_at, r_at);
    -- Expiry is received + N × 24 h (domain.batch.compute_expiry), never a calendar day.
    INSERT INTO batches (
        code, received_at, shelf_life_days, expires_at, initial_ml, remaining_ml, fat_centi,
        version, updated_at, updated_by, updated_workstation)
    VALUES (
        p_code, v_received, p_shelf_life_days,
        v_received + p_shelf_life_days * interval '24 hours', p_initial_ml, p_initial_ml,
        p_fat_centi, 1, r_at, p_operator, p_workstation)
    ON CONFLICT (code) DO NOTHING
    RETURNING * INTO b;
    IF NOT FOUND THEN
        SELECT * INTO b FROM batches WHERE code = p_code;
        r_outcome := 'refused';
        {_ASSIGN_OUT}
        RETURN;
    END IF;
    {_PG_APPEND_EVENT}
    {_ASSIGN_OUT}
END
$$;
"""


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as table:
        table.add_column(sa.Column("request_id", sa.String(64), nullable=True))
        table.add_column(sa.Column("db_user", sa.String(128), nullable=True))
        table.add_column(sa.Column("prev_hash", sa.CHAR(64), nullable=True))
        table.add_column(sa.Column("hash", sa.CHAR(64), nullable=True))
    op.create_index("ux_audit_events_request_id", "audit_events", ["request_id"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_CHAIN)
        op.execute(_PG_CHANGE)
        op.execute(_PG_REGISTER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION dairy_register")
        op.execute("DROP FUNCTION dairy_change")
        op.execute("DROP FUNCTION dairy_event_hash")
    op.drop_index("ux_audit_events_request_id", "audit_events")
    with op.batch_alter_table("audit_events") as table:
        table.drop_column("hash")
        table.drop_column("prev_hash")
        table.drop_column("db_user")
        table.drop_column("request_id")
