"""Batches, append-only audit events and plant settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_ts = sa.DateTime(timezone=True)

_PG_APPEND_ONLY = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
"""

_SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END""",
]


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("received_at", _ts, nullable=False),
        sa.Column("shelf_life_days", sa.Integer(), nullable=False),
        sa.Column("expires_at", _ts, nullable=False),
        sa.Column("initial_ml", sa.BigInteger(), nullable=False),
        sa.Column("remaining_ml", sa.BigInteger(), nullable=False),
        sa.Column("fat_centi", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", _ts, nullable=True),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=True),
        sa.Column("updated_workstation", sa.String(128), nullable=True),
        sa.CheckConstraint("remaining_ml >= 0", name="remaining_not_negative"),
        sa.CheckConstraint("remaining_ml <= initial_ml", name="remaining_within_initial"),
        sa.CheckConstraint("initial_ml > 0", name="initial_positive"),
        sa.CheckConstraint("shelf_life_days BETWEEN 1 AND 30", name="shelf_life_range"),
        sa.CheckConstraint("fat_centi IS NULL OR fat_centi BETWEEN 0 AND 10000", name="fat_range"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_batches_expires_at", "batches", ["expires_at"])

    op.create_table(
        "audit_events",
        sa.Column("id", _id, primary_key=True, autoincrement=True),
        sa.Column("at", _ts, nullable=False),
        sa.Column(
            "batch_id", _id, sa.ForeignKey("batches.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("liters_ml", sa.BigInteger(), nullable=True),
        sa.Column("remaining_after_ml", sa.BigInteger(), nullable=False),
        sa.Column("version_after", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(32), nullable=True),
        sa.Column("operator", sa.String(128), nullable=False),
        sa.Column("workstation", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("correlation_id", sa.String(64), nullable=True),
        sa.CheckConstraint(
            "action IN ('register', 'consume', 'delete', 'restore')", name="action_known"
        ),
    )
    op.create_index("ix_audit_events_batch_id", "audit_events", ["batch_id", "id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])

    op.create_table(
        "plant_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", _ts, nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=True),
    )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_APPEND_ONLY)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_update_delete ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_table("plant_settings")
    op.drop_table("audit_events")
    op.drop_table("batches")
