"""Reservations: litres of a batch set aside for an order, which only that order may take.

Revision ID: 0006_reservations
Revises: 0005
Create Date: 2026-12-02

- batches gains reserved_ml (all orders' reservations on the batch together), with the
  last guard CHECK (0 <= reserved_ml <= remaining_ml): no change, however written, can
  leave a reservation bigger than the milk it sets aside.
- reservations: one row per (batch, order) with the litres, the day the order plans to use
  them, and who last changed it; the batch's reserved_ml is the sum of its rows.
- audit_events admits the actions reserve and unreserve, and gains reserved_for (reserve:
  the planned day), hashed after the lifecycle fields only when set, so every older event
  keeps its hash (domain.audit_chain). SQLite cannot change a check in place: the table is
  rebuilt as 0005 did, every row, id, index and trigger kept.
- PostgreSQL: dairy_change() reserves, unreserves, and makes every consume and dispose
  respect the reservations, each in its one statement; the 0004 "every change audited"
  check also covers reserved_ml.

The downgrade refuses once reservations were used (a reservation row, a reserve or
unreserve event): 0005 has nowhere to keep them, and dropping a hashed field would break
the chain.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reservations"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESERVATION_ACTIONS = ("reserve", "unreserve")
_RESERVED_CHECK = "reserved_ml >= 0 AND reserved_ml <= remaining_ml"


def _earlier(name: str) -> ModuleType:
    """An earlier revision's module, for the SQL it installed (what the downgrade restores)."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"dairy_migration_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_R5 = _earlier("0005_lifecycle.py")
_ALL_ACTIONS = (*_R5._OLD_ACTIONS, *_R5.LIFECYCLE_ACTIONS, *RESERVATION_ACTIONS)
_ACTIONS_0005 = (*_R5._OLD_ACTIONS, *_R5.LIFECYCLE_ACTIONS)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# --- tables ----------------------------------------------------------------------------

_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_ts = sa.DateTime(timezone=True)


def _create_reservations() -> None:
    op.create_table(
        "reservations",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column(
            "batch_id",
            _id,
            sa.ForeignKey("batches.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("order_id", sa.String(32), nullable=False),
        sa.Column("reserved_ml", sa.BigInteger(), nullable=False),
        sa.Column("planned_for", sa.Date(), nullable=False),
        sa.Column("created_at", _ts, nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("operator", sa.String(128), nullable=False),
        sa.Column("workstation", sa.String(128), nullable=False),
        sa.CheckConstraint("reserved_ml > 0", name="reservation_positive"),
        sa.UniqueConstraint("batch_id", "order_id", name="ux_reservations_batch_order"),
    )
    op.create_index("ix_reservations_order_id", "reservations", ["order_id"])


def _add_reserved_column() -> None:
    if _is_postgres():
        op.execute("ALTER TABLE batches ADD COLUMN reserved_ml BIGINT NOT NULL DEFAULT 0")
        op.execute(
            f"ALTER TABLE batches ADD CONSTRAINT reserved_within_remaining"
            f" CHECK ({_RESERVED_CHECK})"
        )
    else:
        # Column-level, so SQLite can drop it with the column.
        op.execute(
            "ALTER TABLE batches ADD COLUMN reserved_ml BIGINT NOT NULL DEFAULT 0"
            f" CONSTRAINT reserved_within_remaining CHECK ({_RESERVED_CHECK})"
        )


_LIFECYCLE_COLUMN_NAMES = ", ".join(name for name, _ in _R5._EVENT_COLUMNS)


def _rebuild_sqlite_events(*, reservations: bool) -> None:
    """0005's rebuild (a new table, every row and id copied, the old one dropped, the new
    one renamed, every index and trigger recreated from the schema's own text), with or
    without reserved_for and the reservation actions."""
    bind = op.get_bind()
    kept = [
        sql
        for (sql,) in bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE tbl_name = 'audit_events'"
                " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
            )
        )
    ]
    extra = "".join(
        f"\n    {name} {kind.format(id='INTEGER')}," for name, kind in _R5._EVENT_COLUMNS
    )
    columns = f"{_R5._SQLITE_KEPT_COLUMNS}, {_LIFECYCLE_COLUMN_NAMES}"
    if reservations:
        extra += "\n    reserved_for DATE,"
        check = _R5._action_check(_ALL_ACTIONS)
    else:
        check = _R5._action_check(_ACTIONS_0005)
    op.execute(
        _R5._SQLITE_EVENTS_TABLE.format(name="audit_events_rebuilt", extra=extra, check=check)
    )
    # The copies' reverses_id name audit_events, which is about to be dropped and replaced:
    # checked at COMMIT, when the name is the rebuilt table's again.
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute(
        f"INSERT INTO audit_events_rebuilt ({columns})"
        f" SELECT {columns} FROM audit_events ORDER BY id"
    )
    op.execute("DROP TABLE audit_events")
    op.execute("ALTER TABLE audit_events_rebuilt RENAME TO audit_events")
    for sql in kept:
        op.execute(sql)


def _alter_postgres_events(actions: Sequence[str]) -> None:
    op.execute("ALTER TABLE audit_events DROP CONSTRAINT action_known")
    op.execute(
        f"ALTER TABLE audit_events ADD CONSTRAINT action_known CHECK ({_R5._action_check(actions)})"
    )


# --- PostgreSQL: the hash and the change functions ---------------------------------------

_BATCH_OUT = (*_R5._BATCH_OUT, ("reserved_ml", "bigint"))
_EVENT_OUT = (*_R5._EVENT_OUT, ("reserved_for", "date"))

# What both functions return, in this order (db/repositories/server_changes.py reads it by
# position): outcome, guard instant, the batch, the event, and the reverse that undid the
# event (set only on a replay whose event was reversed since).
_OUT_PARAMS = ",\n    ".join(
    [
        "OUT r_outcome text",
        "OUT r_at timestamptz",
        *(f"OUT b_{name} {kind}" for name, kind in _BATCH_OUT),
        *(f"OUT e_{name} {kind}" for name, kind in _EVENT_OUT),
        "OUT e_reversed_by bigint",
    ]
)
_ASSIGN_OUT = "\n    ".join(
    [
        *(f"b_{name} := b.{name};" for name, _ in _BATCH_OUT),
        *(f"e_{name} := e.{name};" for name, _ in _EVENT_OUT),
    ]
)

# domain.audit_chain.canonical(), in SQL: the 13 original fields; then, when reserved_for is
# set, all the lifecycle fields and it; else the lifecycle fields only when one is set.
_RESERVATION_FIELDS = (("p_reserved_for", "date", "to_char(p_reserved_for, 'YYYY-MM-DD')"),)
_CHAIN_PARAMS = ", ".join(
    f"{name} {kind}"
    for name, kind, _ in _R5._CHAIN_FIELDS + _R5._LIFECYCLE_FIELDS + _RESERVATION_FIELDS
)
_PG_CHAIN = f"""
CREATE FUNCTION dairy_event_hash({_CHAIN_PARAMS}) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_text text;
BEGIN
    v_text := {_R5._chain_text(_R5._CHAIN_FIELDS)};
    IF p_reserved_for IS NOT NULL
        OR {" OR ".join(f"{name} IS NOT NULL" for name, _, _ in _R5._LIFECYCLE_FIELDS)}
    THEN
        v_text := v_text || {_R5._chain_text(_R5._LIFECYCLE_FIELDS)};
    END IF;
    IF p_reserved_for IS NOT NULL THEN
        v_text := v_text || {_R5._chain_text(_RESERVATION_FIELDS)};
    END IF;
    RETURN encode(sha256(convert_to(v_text, 'UTF8')), 'hex');
END
$$;
"""

_STATE_AFTER = _R5._STATE_AFTER

# Append the event for the change that left batch `b`, chained to `v_prev`; then notify.
_PG_APPEND_EVENT = f"""
    INSERT INTO audit_events (
        at, batch_id, action, liters_ml, remaining_after_ml, version_after, order_id,
        operator, workstation, reason, correlation_id, request_id, db_user, prev_hash, hash,
        reason_code, reverses_id, qa_test, qa_result, qa_analyst, qa_kit, qa_sample_id,
        qa_state_after, reserved_for)
    VALUES (
        r_at, b.id, p_action, v_ml, b.remaining_ml, b.version, p_order_id,
        p_operator, p_workstation, p_reason, p_correlation_id, p_request_id, current_user,
        v_prev,
        dairy_event_hash(b.code, p_action, r_at, v_ml, b.remaining_ml, b.version, p_order_id,
            p_operator, p_workstation, p_reason, p_request_id, current_user, v_prev,
            p_reason_code, v_reverses, p_qa_test, p_qa_result, p_qa_analyst, p_qa_kit,
            p_qa_sample_id, {_STATE_AFTER}, v_reserved_for),
        p_reason_code, v_reverses, p_qa_test, p_qa_result, p_qa_analyst, p_qa_kit,
        p_qa_sample_id, {_STATE_AFTER}, v_reserved_for)
    RETURNING * INTO e;
    PERFORM pg_notify('dairy_changes', b.code);
    r_outcome := 'changed';
"""

# The order's reservation on the batch follows the change, still under the batch's lock:
# a reserve adds to it (and moves its planned day), an unreserve lets all of it go, a
# consume for the order takes what it drew from it.
_PG_RESERVATION_ROW = """
    IF p_action = 'reserve' THEN
        INSERT INTO reservations AS kept (
            batch_id, order_id, reserved_ml, planned_for, created_at, updated_at, operator,
            workstation)
        VALUES (b.id, p_order_id, v_ml, p_reserved_for, r_at, r_at, p_operator, p_workstation)
        ON CONFLICT (batch_id, order_id) DO UPDATE SET
            reserved_ml = kept.reserved_ml + EXCLUDED.reserved_ml,
            planned_for = EXCLUDED.planned_for,
            updated_at = EXCLUDED.updated_at,
            operator = EXCLUDED.operator,
            workstation = EXCLUDED.workstation;
    ELSIF p_action = 'unreserve' OR (p_action = 'consume' AND v_draw = v_own) THEN
        DELETE FROM reservations WHERE batch_id = b.id AND order_id = p_order_id;
    ELSIF p_action = 'consume' AND v_draw > 0 THEN
        UPDATE reservations SET
            reserved_ml = reserved_ml - v_draw,
            updated_at = r_at,
            operator = p_operator,
            workstation = p_workstation
        WHERE batch_id = b.id AND order_id = p_order_id;
    END IF;
"""

_PG_CHANGE = f"""
CREATE FUNCTION dairy_change(
    p_action text, p_code text, p_event_id bigint, p_ml bigint, p_expected_version integer,
    p_order_id text, p_reason text, p_reason_code text, p_qa_test text, p_qa_result text,
    p_qa_analyst text, p_qa_kit text, p_qa_sample_id text, p_operator text,
    p_workstation text, p_correlation_id text, p_request_id text, p_reserved_for date,
    {_OUT_PARAMS}
) LANGUAGE plpgsql AS $$
DECLARE
    b batches%ROWTYPE;
    e audit_events%ROWTYPE;
    o audit_events%ROWTYPE;
    v_prev text;
    v_now timestamptz;
    v_code text := p_code;
    v_ml bigint := CASE WHEN p_action IN ('consume', 'dispose', 'reserve') THEN p_ml END;
    v_reverses bigint;
    v_state text;
    v_required text[];
    v_missing bigint;
    v_reversible boolean := false;
    v_own bigint;
    v_draw bigint := 0;
    v_reserved_for date := CASE WHEN p_action = 'reserve' THEN p_reserved_for END;
BEGIN
    {_R5._PG_REPLAY.format(assign=_ASSIGN_OUT)}
    IF p_action = 'reverse' THEN
        SELECT * INTO o FROM audit_events WHERE id = p_event_id;
        IF NOT FOUND THEN
            r_outcome := 'refused';
            r_at := clock_timestamp();
            RETURN;
        END IF;
        SELECT code INTO v_code FROM batches WHERE id = o.batch_id;
    END IF;
    IF p_action IN ('qa', 'reverse', 'unreserve') OR (p_action = 'dispose' AND p_ml IS NULL)
        -- A consume for an order: its reservation here must be read under the lock, so
        -- the draw is what the batch's history says it is. (Deciding "none" before the
        -- lock let a reservation committed meanwhile stand untouched while its order
        -- consumed: the draw then depended on a race, and no replay could tell.)
        OR (p_action = 'consume' AND p_order_id IS NOT NULL)
    THEN
        -- Decided on other rows or on the litres left: hold the batch's lock first, so
        -- what is read next is what the change applies to.
        SELECT * INTO b FROM batches WHERE code = v_code FOR UPDATE;
        IF FOUND THEN
            IF p_action = 'qa' THEN
                v_state := b.qa_state;
                IF p_qa_result = 'fail' THEN
                    v_state := 'rejected';
                ELSIF b.qa_state = 'pending' THEN
                    {_R5._PG_MISSING_TESTS}
                    IF v_missing = 0 THEN
                        v_state := 'released';
                    END IF;
                END IF;
            ELSIF p_action = 'reverse' THEN
                v_reversible := o.action IN ('consume', 'dispose')
                    AND NOT EXISTS (SELECT 1 FROM audit_events WHERE reverses_id = o.id);
                v_ml := o.liters_ml;
                v_reverses := o.id;
            ELSIF p_action IN ('consume', 'unreserve') THEN
                SELECT reserved_ml INTO v_own FROM reservations
                    WHERE batch_id = b.id AND order_id = p_order_id;
                IF p_action = 'consume' THEN
                    v_draw := LEAST(COALESCE(v_own, 0), p_ml);
                ELSE
                    v_ml := v_own;  -- NULL when there is none: the guard refuses
                END IF;
            ELSE
                v_ml := b.remaining_ml;
            END IF;
        END IF;
    END IF;
    -- One instant for the guard and for every time written: the server's clock, or the
    -- batch's last change if that is later (a waiter that arrived before the change it
    -- waited for, or a clock step back), so an event never sorts before the one it follows.
    -- In the WHERE it is re-evaluated on the row as it is once the lock is held.
    v_now := clock_timestamp();
    UPDATE batches SET
        remaining_ml = CASE p_action WHEN 'consume' THEN remaining_ml - v_ml
                                     WHEN 'dispose' THEN remaining_ml - v_ml
                                     WHEN 'reverse' THEN remaining_ml + v_ml
                                     ELSE remaining_ml END,
        reserved_ml = CASE p_action WHEN 'reserve' THEN reserved_ml + v_ml
                                    WHEN 'unreserve' THEN reserved_ml - v_ml
                                    WHEN 'consume' THEN reserved_ml - v_draw
                                    ELSE reserved_ml END,
        deleted_at = CASE p_action WHEN 'delete' THEN GREATEST(v_now, updated_at)
                                   WHEN 'restore' THEN NULL
                                   ELSE deleted_at END,
        held_at = CASE p_action WHEN 'hold' THEN GREATEST(v_now, updated_at)
                                WHEN 'release' THEN NULL
                                ELSE held_at END,
        recalled_at = CASE WHEN p_action = 'recall' THEN GREATEST(v_now, updated_at)
                           ELSE recalled_at END,
        qa_state = CASE WHEN p_action = 'qa' THEN v_state ELSE qa_state END,
        version = version + 1,
        updated_at = GREATEST(v_now, updated_at),
        updated_by = p_operator,
        updated_workstation = p_workstation
    WHERE code = v_code
        AND (p_expected_version IS NULL OR version = p_expected_version)
        AND (CASE p_action
            -- Other orders' reservations stay whole: what is left after the consume covers
            -- them (this order's own, less what it draws, included).
            WHEN 'consume' THEN remaining_ml >= v_ml
                AND remaining_ml - v_ml >= reserved_ml - v_draw AND deleted_at IS NULL
                AND expires_at > GREATEST(v_now, updated_at)
                AND qa_state = 'released' AND held_at IS NULL AND recalled_at IS NULL
            WHEN 'reserve' THEN v_ml > 0 AND p_order_id IS NOT NULL
                AND v_reserved_for IS NOT NULL
                AND remaining_ml - reserved_ml >= v_ml AND deleted_at IS NULL
                AND expires_at > GREATEST(v_now, updated_at)
                AND qa_state = 'released' AND held_at IS NULL AND recalled_at IS NULL
            WHEN 'unreserve' THEN v_ml > 0 AND reserved_ml >= v_ml
            WHEN 'delete' THEN deleted_at IS NULL
            WHEN 'restore' THEN deleted_at IS NOT NULL
            WHEN 'hold' THEN deleted_at IS NULL AND recalled_at IS NULL AND held_at IS NULL
            WHEN 'release' THEN held_at IS NOT NULL AND recalled_at IS NULL
            WHEN 'recall' THEN recalled_at IS NULL
            -- A write-off never takes reserved litres: unreserve them first.
            WHEN 'dispose' THEN deleted_at IS NULL AND v_ml > 0
                AND remaining_ml - v_ml >= reserved_ml
                AND (qa_state = 'rejected') = (p_reason_code = 'rejected-load')
            WHEN 'qa' THEN deleted_at IS NULL AND recalled_at IS NULL
                AND qa_state <> 'rejected'
            WHEN 'reverse' THEN v_reversible AND deleted_at IS NULL AND recalled_at IS NULL
                AND remaining_ml + v_ml <= initial_ml
            ELSE false
        END)
    RETURNING * INTO b;
    IF NOT FOUND THEN
        SELECT * INTO b FROM batches WHERE code = v_code;
        r_outcome := 'refused';
        r_at := GREATEST(v_now, b.updated_at);
        {_ASSIGN_OUT}
        RETURN;
    END IF;
    r_at := b.updated_at;
    {_PG_RESERVATION_ROW}
    SELECT hash INTO v_prev FROM audit_events
        WHERE batch_id = b.id ORDER BY id DESC LIMIT 1;
    v_prev := COALESCE(v_prev, repeat('0', 64));
    {_PG_APPEND_EVENT}
    {_ASSIGN_OUT}
END
$$;
"""

# 0005's register, returning the batch's reserved litres and the event's reserved_for too.
_PG_REGISTER = (
    _R5._PG_REGISTER.replace(_R5._OUT_PARAMS, _OUT_PARAMS)
    .replace(_R5._ASSIGN_OUT, _ASSIGN_OUT)
    .replace(_R5._PG_APPEND_EVENT, _PG_APPEND_EVENT)
    .replace(
        "    p_qa_sample_id text := NULL;\n",
        "    p_qa_sample_id text := NULL;\n    v_reserved_for date := NULL;\n",
    )
)

# 0005's check at COMMIT, now also for a change of the reserved litres.
_PG_AUDITED_CHANGES = _R5._PG_AUDITED_CHANGES.replace(
    "AND NEW.recalled_at IS NOT DISTINCT FROM OLD.recalled_at",
    "AND NEW.recalled_at IS NOT DISTINCT FROM OLD.recalled_at\n"
    "        AND NEW.reserved_ml = OLD.reserved_ml",
)


def _install_postgres_functions() -> None:
    op.execute("DROP FUNCTION dairy_register")
    op.execute("DROP FUNCTION dairy_change")
    op.execute("DROP FUNCTION dairy_event_hash")
    op.execute(_PG_CHAIN)
    op.execute(_PG_CHANGE)
    op.execute(_PG_REGISTER)
    op.execute(_PG_AUDITED_CHANGES)


# A daily-use role (`db grants`, least privilege) keeps working across this upgrade: every
# role the owner let append audit events also gets what the day's work now writes (the new
# table and column, and the 0005 columns a change writes, which an upgrade from 0004 lacked),
# so no PC is refused a consume until an administrator re-runs `db grants`.
_PG_KEEP_DAILY_GRANTS = """
DO $$
DECLARE
    daily record;
BEGIN
    FOR daily IN
        SELECT DISTINCT grants.grantee
        FROM information_schema.role_table_grants grants
        JOIN pg_tables owned ON owned.tablename = grants.table_name
            AND owned.schemaname = grants.table_schema
        WHERE grants.table_schema = current_schema() AND grants.table_name = 'audit_events'
            AND grants.privilege_type = 'INSERT' AND grants.grantee <> owned.tableowner
            AND grants.grantee <> 'PUBLIC'
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE reservations TO %I',
            daily.grantee);
        EXECUTE format('GRANT USAGE ON SEQUENCE reservations_id_seq TO %I', daily.grantee);
        EXECUTE format(
            'GRANT UPDATE (qa_state, held_at, recalled_at, reserved_ml) ON TABLE batches TO %I',
            daily.grantee);
    END LOOP;
END
$$;
"""


def upgrade() -> None:
    assert _PG_REGISTER.count("v_reserved_for date := NULL") == 1, "0005's register changed"
    assert "NEW.reserved_ml" in _PG_AUDITED_CHANGES, "0005's audited-changes check changed"
    _add_reserved_column()
    _create_reservations()
    if _is_postgres():
        op.execute("ALTER TABLE audit_events ADD COLUMN reserved_for DATE")
        _alter_postgres_events(_ALL_ACTIONS)
        _install_postgres_functions()
        op.execute(_PG_KEEP_DAILY_GRANTS)
    else:
        _rebuild_sqlite_events(reservations=True)


# --- downgrade -------------------------------------------------------------------------

_RESERVATIONS_USED = f"""
SELECT
    (SELECT count(*) FROM reservations),
    (SELECT count(*) FROM audit_events
     WHERE action IN ({", ".join(repr(a) for a in RESERVATION_ACTIONS)})
        OR reserved_for IS NOT NULL)
"""


def downgrade() -> None:
    rows, events = op.get_bind().execute(sa.text(_RESERVATIONS_USED)).one()
    if rows or events:
        raise RuntimeError(
            f"Cannot downgrade below 0006: {rows} reservation(s) and {events} audit "
            "event(s) of reservations would be lost (0005 has nowhere to keep them, and "
            "their hash covers the planned day). Restore a backup from before the upgrade."
        )
    if _is_postgres():
        op.execute("DROP FUNCTION dairy_register")
        op.execute("DROP FUNCTION dairy_change")
        op.execute("DROP FUNCTION dairy_event_hash")
        op.execute(_R5._PG_AUDITED_CHANGES)
        _alter_postgres_events(_ACTIONS_0005)
        op.execute("ALTER TABLE audit_events DROP COLUMN reserved_for")
    else:
        _rebuild_sqlite_events(reservations=False)
    op.drop_index("ix_reservations_order_id", "reservations")
    op.drop_table("reservations")
    if _is_postgres():
        op.execute("ALTER TABLE batches DROP CONSTRAINT reserved_within_remaining")
    op.execute("ALTER TABLE batches DROP COLUMN reserved_ml")
    if _is_postgres():
        # 0005's functions, over the tables as 0005 had them.
        op.execute(_R5._PG_CHAIN)
        op.execute(_R5._PG_CHANGE)
        op.execute(_R5._PG_REGISTER)
