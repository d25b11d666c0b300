"""The batch lifecycle: intake records, the QA release gate, hold and recall, write-offs
with reason codes, and reversals that never rewrite history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

- batches gains the intake (supplier, tanker, seal, temperature in tenths of °C), fixed at
  registration like the code and the size (0004's trigger is recreated to cover them), and
  the lifecycle state: qa_state (pending | released | rejected; existing batches are
  released), held_at and recalled_at (when the hold or recall was placed).
- audit_events gains reason_code (dispose), reverses_id (reverse: the consume or dispose it
  undoes; unique, so an event is reversed at most once), the lab result's fields and
  qa_state_after (register and qa: the QA state the event left, so the record says whether a
  batch started pending and what each result did; hashed like the others); the action
  check admits qa, hold, release, recall, dispose and reverse. SQLite cannot change
  a check in place: the table is rebuilt with every row and id, and every index and trigger
  it had is recreated from the schema's own text.
- Plant setting qa_release_required: 'true' on a new (empty) database, 'false' on one that
  already holds batches, so an upgraded plant's work does not change overnight.
- PostgreSQL: dairy_change() does every change, dairy_register() stores the intake and
  starts the batch pending while the gate is on, dairy_event_hash() hashes the new fields.
  A QA result or a reversal depends on other events (the passes so far; whether the event
  is reversed already): those lock the batch row first and then decide in a statement of
  their own, which under READ COMMITTED sees every change committed before the lock was
  granted. The 0004 "every change audited" check also covers qa_state, held_at and
  recalled_at.

The downgrade refuses once the lifecycle was used (its events, an event that records a QA
state, such as any registration since, a held, recalled, pending or rejected batch, or a
recorded intake): 0004 has nowhere to keep them, and dropping a hashed field would break
the chain.
"""

import importlib.util
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIFECYCLE_ACTIONS = ("qa", "hold", "release", "recall", "dispose", "reverse")
_OLD_ACTIONS = ("register", "consume", "delete", "restore")
_QA_SETTING = "qa_release_required"


def _earlier(name: str) -> ModuleType:
    """An earlier revision's module, for the SQL it installed (what the downgrade restores)."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"dairy_migration_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# --- batches ---------------------------------------------------------------------------

# Column-level checks (SQLite can add them with ADD COLUMN and drop them with the column).
_BATCH_COLUMNS = (
    ("supplier", "VARCHAR(128)", ""),
    ("tanker", "VARCHAR(64)", ""),
    ("seal", "VARCHAR(64)", ""),
    (
        "temperature_deci",
        "INTEGER",
        "CONSTRAINT temperature_range"
        " CHECK (temperature_deci IS NULL OR temperature_deci BETWEEN -50 AND 400)",
    ),
    (
        "qa_state",
        "VARCHAR(16)",
        "NOT NULL DEFAULT 'released' CONSTRAINT qa_state_known"
        " CHECK (qa_state IN ('pending', 'released', 'rejected'))",
    ),
    ("held_at", "{ts}", ""),
    ("recalled_at", "{ts}", ""),
)

_FIXED_COLUMNS = (
    "code",
    "received_at",
    "shelf_life_days",
    "expires_at",
    "initial_ml",
    "fat_centi",
    "supplier",
    "tanker",
    "seal",
    "temperature_deci",
)
# No apostrophe: it goes inside SQL string literals. "never change" is what tests look for.
_FIXED_REFUSAL = (
    "the code, received time, shelf life, expiry, size, fat and intake of a batch never change"
)

_PG_FIXED_COLUMNS = f"""
CREATE OR REPLACE FUNCTION batches_keep_fixed_columns() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED_COLUMNS)} THEN
        RAISE EXCEPTION 'batch %: {_FIXED_REFUSAL}: UPDATE refused', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- clock_timestamp(), not now(): dairy_change stamps with it, later in the transaction.
    IF NEW.updated_at IS DISTINCT FROM OLD.updated_at
        AND NEW.updated_at > clock_timestamp() + interval '5 minutes'
    THEN
        RAISE EXCEPTION 'batch %: updated_at % is ahead of the server clock: UPDATE refused',
            OLD.code, NEW.updated_at
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
"""

_SQLITE_FIXED_COLUMNS = f"""CREATE TRIGGER batches_fixed_columns BEFORE UPDATE ON batches
    WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED_COLUMNS)}
    BEGIN SELECT RAISE(ABORT, '{_FIXED_REFUSAL}: UPDATE refused'); END"""

# 0004's check at COMMIT, now also for a change of the lifecycle state.
_PG_AUDITED_CHANGES = """
CREATE OR REPLACE FUNCTION batches_change_is_audited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.remaining_ml = OLD.remaining_ml
        AND NEW.version = OLD.version
        AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at
        AND NEW.qa_state IS NOT DISTINCT FROM OLD.qa_state
        AND NEW.held_at IS NOT DISTINCT FROM OLD.held_at
        AND NEW.recalled_at IS NOT DISTINCT FROM OLD.recalled_at
    THEN
        RETURN NULL;
    END IF;
    -- xmin: the event was inserted by this very transaction, not an older one that happens
    -- to name the same version.
    IF NOT EXISTS (
        SELECT 1 FROM audit_events
        WHERE batch_id = NEW.id
            AND version_after = NEW.version
            AND remaining_after_ml = NEW.remaining_ml
            AND xmin = pg_current_xact_id()::xid
    ) THEN
        RAISE EXCEPTION
            'batch % changed (version %, % mL left) without its audit event: refused',
            NEW.code, NEW.version, NEW.remaining_ml
            USING ERRCODE = 'integrity_constraint_violation',
                HINT = 'Change batches through Dairy Desktop, which records every change.';
    END IF;
    RETURN NULL;
END
$$;
"""


def _add_batch_columns() -> None:
    ts = "TIMESTAMP WITH TIME ZONE" if _is_postgres() else "DATETIME"
    for name, kind, constraint in _BATCH_COLUMNS:
        op.execute(f"ALTER TABLE batches ADD COLUMN {name} {kind.format(ts=ts)} {constraint}")


# --- audit_events ----------------------------------------------------------------------

_EVENT_COLUMNS = (
    ("reason_code", "VARCHAR(32)"),
    ("reverses_id", "{id} REFERENCES audit_events (id)"),
    ("qa_test", "VARCHAR(64)"),
    ("qa_result", "VARCHAR(8)"),
    ("qa_analyst", "VARCHAR(128)"),
    ("qa_kit", "VARCHAR(128)"),
    ("qa_sample_id", "VARCHAR(128)"),
    (
        "qa_state_after",
        "VARCHAR(16) CONSTRAINT qa_state_after_known"
        " CHECK (qa_state_after IN ('pending', 'released', 'rejected'))",
    ),
)


def _action_check(actions: Sequence[str]) -> str:
    return f"action IN ({', '.join(repr(a) for a in actions)})"


# audit_events as 0001 + 0003 made it, with the new columns (or without) at the end.
_SQLITE_EVENTS_TABLE = """CREATE TABLE {name} (
    id INTEGER NOT NULL,
    at DATETIME NOT NULL,
    batch_id INTEGER NOT NULL,
    action VARCHAR(16) NOT NULL,
    liters_ml BIGINT,
    remaining_after_ml BIGINT NOT NULL,
    version_after INTEGER NOT NULL,
    order_id VARCHAR(32),
    operator VARCHAR(128) NOT NULL,
    workstation VARCHAR(128) NOT NULL,
    reason TEXT,
    correlation_id VARCHAR(64),
    request_id VARCHAR(64),
    db_user VARCHAR(128),
    prev_hash CHAR(64),
    hash CHAR(64),{extra}
    PRIMARY KEY (id),
    CONSTRAINT action_known CHECK ({check}),
    FOREIGN KEY(batch_id) REFERENCES batches (id) ON DELETE RESTRICT
)"""
_SQLITE_KEPT_COLUMNS = (
    "id, at, batch_id, action, liters_ml, remaining_after_ml, version_after, order_id, "
    "operator, workstation, reason, correlation_id, request_id, db_user, prev_hash, hash"
)


def _rebuild_sqlite_events(*, lifecycle: bool) -> None:
    """SQLite's way to change a check: a new table, every row copied (ids too), the old one
    dropped, the new one renamed; then every index and trigger the old table had, from the
    schema's own text (so the append-only triggers of 0001 come back, whatever they say)."""
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
    if lifecycle:
        extra = "".join(
            f"\n    {name} {kind.format(id='INTEGER')}," for name, kind in _EVENT_COLUMNS
        )
        check = _action_check((*_OLD_ACTIONS, *LIFECYCLE_ACTIONS))
    else:
        extra, check = "", _action_check(_OLD_ACTIONS)
    op.execute(_SQLITE_EVENTS_TABLE.format(name="audit_events_rebuilt", extra=extra, check=check))
    op.execute(
        f"INSERT INTO audit_events_rebuilt ({_SQLITE_KEPT_COLUMNS})"
        f" SELECT {_SQLITE_KEPT_COLUMNS} FROM audit_events ORDER BY id"
    )
    op.execute("DROP TABLE audit_events")
    op.execute("ALTER TABLE audit_events_rebuilt RENAME TO audit_events")
    for sql in kept:
        if lifecycle or "reverses_id" not in sql:
            op.execute(sql)


def _alter_postgres_events() -> None:
    for name, kind in _EVENT_COLUMNS:
        op.execute(f"ALTER TABLE audit_events ADD COLUMN {name} {kind.format(id='BIGINT')}")
    op.execute("ALTER TABLE audit_events DROP CONSTRAINT action_known")
    op.execute(
        "ALTER TABLE audit_events ADD CONSTRAINT action_known CHECK "
        f"({_action_check((*_OLD_ACTIONS, *LIFECYCLE_ACTIONS))})"
    )


# --- PostgreSQL: the hash and the change functions ---------------------------------------

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
    ("supplier", "text"),
    ("tanker", "text"),
    ("seal", "text"),
    ("temperature_deci", "integer"),
    ("qa_state", "text"),
    ("held_at", "timestamptz"),
    ("recalled_at", "timestamptz"),
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
    ("reason_code", "text"),
    ("reverses_id", "bigint"),
    ("qa_test", "text"),
    ("qa_result", "text"),
    ("qa_analyst", "text"),
    ("qa_kit", "text"),
    ("qa_sample_id", "text"),
    ("qa_state_after", "text"),
)

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


def _chain_text(fields: Sequence[tuple[str, str, str]]) -> str:
    return "\n        || ".join(
        f"CASE WHEN {name} IS NULL THEN '~' ELSE char_length({value}) || ':' || {value} END"
        for name, _, value in fields
    )


# domain.audit_chain.canonical(), in SQL (see 0003): the 13 original fields, then the
# lifecycle fields only when one of them is set, so every older event keeps its hash.
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
_LIFECYCLE_FIELDS = (
    ("p_reason_code", "text", "p_reason_code"),
    ("p_reverses_id", "bigint", "p_reverses_id::text"),
    ("p_qa_test", "text", "p_qa_test"),
    ("p_qa_result", "text", "p_qa_result"),
    ("p_qa_analyst", "text", "p_qa_analyst"),
    ("p_qa_kit", "text", "p_qa_kit"),
    ("p_qa_sample_id", "text", "p_qa_sample_id"),
    ("p_qa_state_after", "text", "p_qa_state_after"),
)
_CHAIN_PARAMS = ", ".join(f"{name} {kind}" for name, kind, _ in _CHAIN_FIELDS + _LIFECYCLE_FIELDS)
_PG_CHAIN = f"""
CREATE FUNCTION dairy_event_hash({_CHAIN_PARAMS}) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_text text;
BEGIN
    v_text := {_chain_text(_CHAIN_FIELDS)};
    IF {" OR ".join(f"{name} IS NOT NULL" for name, _, _ in _LIFECYCLE_FIELDS)} THEN
        v_text := v_text || {_chain_text(_LIFECYCLE_FIELDS)};
    END IF;
    RETURN encode(sha256(convert_to(v_text, 'UTF8')), 'hex');
END
$$;
"""

# register and qa events record the QA state the batch was left in (pending or released at
# registration, what a result left); NULL on every other action.
_STATE_AFTER = "CASE WHEN p_action IN ('register', 'qa') THEN b.qa_state END"

# Append the event for the change that left batch `b`, chained to `v_prev`; then notify.
_PG_APPEND_EVENT = f"""
    INSERT INTO audit_events (
        at, batch_id, action, liters_ml, remaining_after_ml, version_after, order_id,
        operator, workstation, reason, correlation_id, request_id, db_user, prev_hash, hash,
        reason_code, reverses_id, qa_test, qa_result, qa_analyst, qa_kit, qa_sample_id,
        qa_state_after)
    VALUES (
        r_at, b.id, p_action, v_ml, b.remaining_ml, b.version, p_order_id,
        p_operator, p_workstation, p_reason, p_correlation_id, p_request_id, current_user,
        v_prev,
        dairy_event_hash(b.code, p_action, r_at, v_ml, b.remaining_ml, b.version, p_order_id,
            p_operator, p_workstation, p_reason, p_request_id, current_user, v_prev,
            p_reason_code, v_reverses, p_qa_test, p_qa_result, p_qa_analyst, p_qa_kit,
            p_qa_sample_id, {_STATE_AFTER}),
        p_reason_code, v_reverses, p_qa_test, p_qa_result, p_qa_analyst, p_qa_kit,
        p_qa_sample_id, {_STATE_AFTER})
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
            SELECT id INTO e_reversed_by FROM audit_events WHERE reverses_id = e.id;
            {assign}
            RETURN;
        END IF;
    END IF;
"""

# The plant's required tests (qa_required_tests: comma or line separated, as
# domain.qa.validate_test_name normalises them; none or no row: beta-lactam) that have no
# pass yet, counting the one being recorded. A statement of its own: it sees every result
# committed before the batch's lock was granted.
_PG_MISSING_TESTS = r"""
        SELECT COALESCE(array_agg(DISTINCT named.name), ARRAY['beta-lactam']) INTO v_required
        FROM (
            SELECT regexp_replace(btrim(lower(part), E' \t\r\f\v'), E'\\s+', '-', 'g') AS name
            FROM regexp_split_to_table(
                COALESCE((SELECT value FROM plant_settings WHERE key = 'qa_required_tests'),
                    ''), E'[,\n]') AS part
        ) named
        WHERE named.name <> '';
        SELECT count(*) INTO v_missing
        FROM unnest(v_required) AS required (name)
        WHERE required.name IS DISTINCT FROM p_qa_test
            AND NOT EXISTS (
                SELECT 1 FROM audit_events passed
                WHERE passed.batch_id = b.id AND passed.action = 'qa'
                    AND passed.qa_result = 'pass' AND passed.qa_test = required.name);
"""

_PG_CHANGE = f"""
CREATE FUNCTION dairy_change(
    p_action text, p_code text, p_event_id bigint, p_ml bigint, p_expected_version integer,
    p_order_id text, p_reason text, p_reason_code text, p_qa_test text, p_qa_result text,
    p_qa_analyst text, p_qa_kit text, p_qa_sample_id text, p_operator text,
    p_workstation text, p_correlation_id text, p_request_id text,
    {_OUT_PARAMS}
) LANGUAGE plpgsql AS $$
DECLARE
    b batches%ROWTYPE;
    e audit_events%ROWTYPE;
    o audit_events%ROWTYPE;
    v_prev text;
    v_now timestamptz;
    v_code text := p_code;
    v_ml bigint := CASE WHEN p_action IN ('consume', 'dispose') THEN p_ml END;
    v_reverses bigint;
    v_state text;
    v_required text[];
    v_missing bigint;
    v_reversible boolean := false;
BEGIN
    {_PG_REPLAY.format(assign=_ASSIGN_OUT)}
    IF p_action = 'reverse' THEN
        SELECT * INTO o FROM audit_events WHERE id = p_event_id;
        IF NOT FOUND THEN
            r_outcome := 'refused';
            r_at := clock_timestamp();
            RETURN;
        END IF;
        SELECT code INTO v_code FROM batches WHERE id = o.batch_id;
    END IF;
    IF p_action IN ('qa', 'reverse') OR (p_action = 'dispose' AND p_ml IS NULL) THEN
        -- Decided on other rows or on the litres left: hold the batch's lock first, so
        -- what is read next is what the change applies to.
        SELECT * INTO b FROM batches WHERE code = v_code FOR UPDATE;
        IF FOUND THEN
            IF p_action = 'qa' THEN
                v_state := b.qa_state;
                IF p_qa_result = 'fail' THEN
                    v_state := 'rejected';
                ELSIF b.qa_state = 'pending' THEN
                    {_PG_MISSING_TESTS}
                    IF v_missing = 0 THEN
                        v_state := 'released';
                    END IF;
                END IF;
            ELSIF p_action = 'reverse' THEN
                v_reversible := o.action IN ('consume', 'dispose')
                    AND NOT EXISTS (SELECT 1 FROM audit_events WHERE reverses_id = o.id);
                v_ml := o.liters_ml;
                v_reverses := o.id;
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
            WHEN 'consume' THEN remaining_ml >= v_ml AND deleted_at IS NULL
                AND expires_at > GREATEST(v_now, updated_at)
                AND qa_state = 'released' AND held_at IS NULL AND recalled_at IS NULL
            WHEN 'delete' THEN deleted_at IS NULL
            WHEN 'restore' THEN deleted_at IS NOT NULL
            WHEN 'hold' THEN deleted_at IS NULL AND recalled_at IS NULL AND held_at IS NULL
            WHEN 'release' THEN held_at IS NOT NULL AND recalled_at IS NULL
            WHEN 'recall' THEN recalled_at IS NULL
            WHEN 'dispose' THEN deleted_at IS NULL AND v_ml > 0 AND remaining_ml >= v_ml
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
    p_fat_centi integer, p_supplier text, p_tanker text, p_seal text,
    p_temperature_deci integer, p_operator text, p_workstation text, p_correlation_id text,
    p_request_id text,
    {_OUT_PARAMS}
) LANGUAGE plpgsql AS $$
DECLARE
    b batches%ROWTYPE;
    e audit_events%ROWTYPE;
    v_prev text := repeat('0', 64);
    v_received timestamptz;
    p_action text := 'register';
    v_ml bigint := p_initial_ml;
    p_order_id text := NULL;
    p_reason text := NULL;
    p_reason_code text := NULL;
    v_reverses bigint := NULL;
    p_qa_test text := NULL;
    p_qa_result text := NULL;
    p_qa_analyst text := NULL;
    p_qa_kit text := NULL;
    p_qa_sample_id text := NULL;
BEGIN
    {_PG_REPLAY.format(assign=_ASSIGN_OUT)}
    r_at := clock_timestamp();
    v_received := COALESCE(p_received_at, r_at);
    -- Expiry is received + N × 24 h (domain.batch.compute_expiry), never a calendar day.
    -- The QA gate (no row: on) decides in this statement whether the batch waits for QA.
    INSERT INTO batches (
        code, received_at, shelf_life_days, expires_at, initial_ml, remaining_ml, fat_centi,
        version, updated_at, updated_by, updated_workstation, supplier, tanker, seal,
        temperature_deci, qa_state)
    VALUES (
        p_code, v_received, p_shelf_life_days,
        v_received + p_shelf_life_days * interval '24 hours', p_initial_ml, p_initial_ml,
        p_fat_centi, 1, r_at, p_operator, p_workstation, p_supplier, p_tanker, p_seal,
        p_temperature_deci,
        CASE WHEN COALESCE(
                (SELECT lower(btrim(value, E' \\t\\n\\r\\f\\v')) FROM plant_settings
                 WHERE key = '{_QA_SETTING}'), 'true') = 'true'
            THEN 'pending' ELSE 'released' END)
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


def _insert_gate_setting() -> None:
    """'true' for a new plant, 'false' where batches exist (their work goes on as before);
    a value already there (an upgrade after a downgrade) is the plant's and is kept. The
    settings-history trigger records the insert."""
    op.get_bind().execute(
        sa.text(
            "INSERT INTO plant_settings (key, value, updated_at, updated_by)"
            " SELECT :key, CASE WHEN EXISTS (SELECT 1 FROM batches) THEN 'false' ELSE 'true' END,"
            " :at, 'schema upgrade'"
            " WHERE NOT EXISTS (SELECT 1 FROM plant_settings WHERE key = :key)"
        ).bindparams(sa.bindparam("at", type_=sa.DateTime(timezone=True))),
        {"key": _QA_SETTING, "at": _now()},
    )


def _now() -> datetime:
    # SQLite stores naive UTC text (as db.types.UTCDateTime writes it).
    moment = datetime.now(UTC)
    return moment if _is_postgres() else moment.replace(tzinfo=None)


def upgrade() -> None:
    _add_batch_columns()
    if _is_postgres():
        _alter_postgres_events()
    else:
        _rebuild_sqlite_events(lifecycle=True)
    op.create_index("ux_audit_events_reverses_id", "audit_events", ["reverses_id"], unique=True)
    if _is_postgres():
        op.execute(_PG_FIXED_COLUMNS)
        op.execute(_PG_AUDITED_CHANGES)
        op.execute("DROP FUNCTION dairy_register")
        op.execute("DROP FUNCTION dairy_change")
        op.execute("DROP FUNCTION dairy_event_hash")
        op.execute(_PG_CHAIN)
        op.execute(_PG_CHANGE)
        op.execute(_PG_REGISTER)
    else:
        op.execute("DROP TRIGGER batches_fixed_columns")
        op.execute(_SQLITE_FIXED_COLUMNS)
    _insert_gate_setting()


# --- downgrade -------------------------------------------------------------------------

_LIFECYCLE_USED = f"""
SELECT
    (SELECT count(*) FROM audit_events
     WHERE action IN ({", ".join(repr(a) for a in LIFECYCLE_ACTIONS)})
        OR qa_state_after IS NOT NULL),
    (SELECT count(*) FROM batches
     WHERE qa_state <> 'released' OR held_at IS NOT NULL OR recalled_at IS NOT NULL
        OR supplier IS NOT NULL OR tanker IS NOT NULL OR seal IS NOT NULL
        OR temperature_deci IS NOT NULL)
"""


def downgrade() -> None:
    events, batches = op.get_bind().execute(sa.text(_LIFECYCLE_USED)).one()
    if events or batches:
        raise RuntimeError(
            f"Cannot downgrade below 0005: {events} audit event(s) of the lifecycle or that "
            f"record a QA state (their hash covers it) and {batches} "
            "batch(es) with an intake record or a QA, hold or recall state would be lost "
            "(0004 has nowhere to keep them). Restore a backup from before the upgrade."
        )
    revision_3 = _earlier("0003_exactly_once_and_hash_chain.py")
    revision_4 = _earlier("0004_audited_changes_only.py")
    op.execute(f"DELETE FROM plant_settings WHERE key = '{_QA_SETTING}'")
    op.drop_index("ux_audit_events_reverses_id", "audit_events")
    if _is_postgres():
        op.execute("DROP FUNCTION dairy_register")
        op.execute("DROP FUNCTION dairy_change")
        op.execute("DROP FUNCTION dairy_event_hash")
        op.execute(revision_3._PG_CHAIN)
        op.execute(revision_3._PG_CHANGE)
        op.execute(revision_3._PG_REGISTER)
        op.execute("DROP TRIGGER batches_changes_are_audited ON batches")
        op.execute("DROP FUNCTION batches_change_is_audited()")
        op.execute(revision_4._PG_AUDITED_CHANGES)
        op.execute("DROP TRIGGER batches_fixed_columns ON batches")
        op.execute("DROP FUNCTION batches_keep_fixed_columns()")
        op.execute(revision_4._PG_FIXED_COLUMNS)
        op.execute("ALTER TABLE audit_events DROP CONSTRAINT action_known")
        op.execute(
            f"ALTER TABLE audit_events ADD CONSTRAINT action_known CHECK "
            f"({_action_check(_OLD_ACTIONS)})"
        )
        for name, _ in reversed(_EVENT_COLUMNS):
            op.execute(f"ALTER TABLE audit_events DROP COLUMN {name}")
    else:
        op.execute("DROP TRIGGER batches_fixed_columns")
        op.execute(revision_4._SQLITE_FIXED_COLUMNS)
        _rebuild_sqlite_events(lifecycle=False)
    for name, _, _ in reversed(_BATCH_COLUMNS):
        op.execute(f"ALTER TABLE batches DROP COLUMN {name}")
