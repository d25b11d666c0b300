"""Indexes for the window's order search and the audit view's operator filter.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_order_id", "audit_events", ["order_id"])
    op.create_index("ix_audit_events_operator", "audit_events", ["operator", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_operator", "audit_events")
    op.drop_index("ix_audit_events_order_id", "audit_events")
