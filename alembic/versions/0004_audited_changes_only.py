"""Every batch change carries its audit event; plant-settings changes get their own history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

- PostgreSQL: a DEFERRABLE INITIALLY DEFERRED constraint trigger on batches refuses, at
  COMMIT, any transaction that changed a batch's remaining litres, version or deleted state
  (or inserted a batch) without also inserting, in that same transaction, the audit event for
  the batch's new version with its remaining litres. The app's own changes (one statement
  that updates the batch and appends the event) pass; a hand-made `UPDATE batches` does not.
  An index on (batch_id, version_after) keeps the check to one probe per change.
- What a batch is (code, received_at, shelf_life_days, expires_at, initial_ml, fat_centi)
  is fixed at registration: a trigger on both databases refuses any UPDATE that changes it,
  whoever runs it. On PostgreSQL it also refuses an updated_at set more than five minutes
  ahead of the server's clock: a change's time is GREATEST(now, updated_at), so a future
  updated_at would pin every later event of that batch to it.
- plant_setting_changes: who changed which plant setting when, from what to what. Filled by
  triggers on plant_settings (so no writer can skip it) and append-only like audit_events,
  on both databases. `at` is the database server's clock on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_PG_AUDITED_CHANGES = """
CREATE FUNCTION batches_change_is_audited() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.remaining_ml = OLD.remaining_ml
        AND NEW.version = OLD.version
        AND NEW.deleted_at IS NOT DISTINCT FROM OLD.deleted_at
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
CREATE CONSTRAINT TRIGGER batches_changes_are_audited AFTER INSERT OR UPDATE ON batches
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION batches_change_is_audited();
"""

# The columns a change never writes (db.grants.BATCH_CHANGE_COLUMNS are the ones it does).
_FIXED_COLUMNS = ("code", "received_at", "shelf_life_days", "expires_at", "initial_ml", "fat_centi")
# No apostrophe: it goes inside SQL string literals.
_FIXED_REFUSAL = "the code, received time, shelf life, expiry, size and fat of a batch never change"

_PG_FIXED_COLUMNS = f"""
CREATE FUNCTION batches_keep_fixed_columns() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER batches_fixed_columns BEFORE UPDATE ON batches
    FOR EACH ROW EXECUTE FUNCTION batches_keep_fixed_columns();
"""

_SQLITE_FIXED_COLUMNS = f"""CREATE TRIGGER batches_fixed_columns BEFORE UPDATE ON batches
    WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED_COLUMNS)}
    BEGIN SELECT RAISE(ABORT, '{_FIXED_REFUSAL}: UPDATE refused'); END"""

_PG_SETTINGS_HISTORY = """
CREATE FUNCTION plant_settings_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.value IS NOT DISTINCT FROM OLD.value THEN
        RETURN NULL;
    END IF;
    INSERT INTO plant_setting_changes (at, key, old_value, new_value, operator, db_user)
    VALUES (statement_timestamp(), NEW.key,
            CASE WHEN TG_OP = 'UPDATE' THEN OLD.value END, NEW.value, NEW.updated_by,
            current_user);
    RETURN NULL;
END
$$;
CREATE TRIGGER plant_settings_history AFTER INSERT OR UPDATE ON plant_settings
    FOR EACH ROW EXECUTE FUNCTION plant_settings_record_change();

CREATE FUNCTION plant_setting_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plant_setting_changes is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER plant_setting_changes_no_update_delete
    BEFORE UPDATE OR DELETE ON plant_setting_changes
    FOR EACH ROW EXECUTE FUNCTION plant_setting_changes_append_only();
CREATE TRIGGER plant_setting_changes_no_truncate BEFORE TRUNCATE ON plant_setting_changes
    FOR EACH STATEMENT EXECUTE FUNCTION plant_setting_changes_append_only();
"""

_SQLITE_SETTINGS_HISTORY = [
    """CREATE TRIGGER plant_settings_history_insert AFTER INSERT ON plant_settings
       BEGIN
           INSERT INTO plant_setting_changes (at, key, old_value, new_value, operator)
           VALUES (NEW.updated_at, NEW.key, NULL, NEW.value, NEW.updated_by);
       END""",
    """CREATE TRIGGER plant_settings_history_update AFTER UPDATE ON plant_settings
       WHEN OLD.value IS NOT NEW.value
       BEGIN
           INSERT INTO plant_setting_changes (at, key, old_value, new_value, operator)
           VALUES (NEW.updated_at, NEW.key, OLD.value, NEW.value, NEW.updated_by);
       END""",
    """CREATE TRIGGER plant_setting_changes_no_update BEFORE UPDATE ON plant_setting_changes
       BEGIN SELECT RAISE(ABORT, 'plant_setting_changes is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER plant_setting_changes_no_delete BEFORE DELETE ON plant_setting_changes
       BEGIN SELECT RAISE(ABORT, 'plant_setting_changes is append-only: DELETE refused'); END""",
]


def upgrade() -> None:
    op.create_index("ix_audit_events_batch_version", "audit_events", ["batch_id", "version_after"])
    op.create_table(
        "plant_setting_changes",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(128), nullable=True),
        sa.Column("db_user", sa.String(128), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_AUDITED_CHANGES)
        op.execute(_PG_FIXED_COLUMNS)
        op.execute(_PG_SETTINGS_HISTORY)
    else:
        op.execute(_SQLITE_FIXED_COLUMNS)
        for statement in _SQLITE_SETTINGS_HISTORY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER plant_settings_history ON plant_settings")
        op.execute("DROP FUNCTION plant_settings_record_change()")
        op.execute("DROP TRIGGER batches_fixed_columns ON batches")
        op.execute("DROP FUNCTION batches_keep_fixed_columns()")
        op.execute("DROP TRIGGER batches_changes_are_audited ON batches")
        op.execute("DROP FUNCTION batches_change_is_audited()")
    else:
        op.execute("DROP TRIGGER plant_settings_history_insert")
        op.execute("DROP TRIGGER plant_settings_history_update")
        op.execute("DROP TRIGGER batches_fixed_columns")
    op.drop_table("plant_setting_changes")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION plant_setting_changes_append_only()")
    op.drop_index("ix_audit_events_batch_version", "audit_events")
