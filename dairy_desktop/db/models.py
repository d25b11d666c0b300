"""Typed SQLAlchemy models. Litres are integer millilitres, fat % integer hundredths."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dairy_desktop.db.types import UTCDateTime

# BIGINT ids on PostgreSQL, INTEGER PRIMARY KEY (the rowid alias) on SQLite.
IdType = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class BatchRow(Base):
    __tablename__ = "batches"
    __table_args__ = (
        CheckConstraint("remaining_ml >= 0", name="remaining_not_negative"),
        CheckConstraint("remaining_ml <= initial_ml", name="remaining_within_initial"),
        CheckConstraint("initial_ml > 0", name="initial_positive"),
        CheckConstraint("shelf_life_days BETWEEN 1 AND 30", name="shelf_life_range"),
        CheckConstraint("fat_centi IS NULL OR fat_centi BETWEEN 0 AND 10000", name="fat_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        # Column-level on the database (migration 0005), so SQLite can drop them with it.
        CheckConstraint(
            "temperature_deci IS NULL OR temperature_deci BETWEEN -50 AND 400",
            name="temperature_range",
        ),
        CheckConstraint("qa_state IN ('pending', 'released', 'rejected')", name="qa_state_known"),
        # The last guard of reservations (migration 0006): never more set aside than is left.
        CheckConstraint(
            "reserved_ml >= 0 AND reserved_ml <= remaining_ml", name="reserved_within_remaining"
        ),
        Index("ix_batches_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    shelf_life_days: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    initial_ml: Mapped[int] = mapped_column(BigInteger)
    remaining_ml: Mapped[int] = mapped_column(BigInteger)
    fat_centi: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(String(128))
    updated_workstation: Mapped[str | None] = mapped_column(String(128))
    # Intake (migration 0005): fixed at registration, like the code and the size.
    supplier: Mapped[str | None] = mapped_column(String(128))
    tanker: Mapped[str | None] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64))
    temperature_deci: Mapped[int | None] = mapped_column(Integer)  # tenths of °C
    # The lifecycle: the lab's verdict (domain.qa.QaState), and when a hold or a recall
    # was placed (NULL: none).
    qa_state: Mapped[str] = mapped_column(String(16), server_default=text("'released'"))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # All orders' reservations on the batch together (migration 0006): the sum of its rows
    # in `reservations`, changed in the same statement as they are.
    reserved_ml: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class AuditEventRow(Base):
    """Append-only: PostgreSQL and SQLite triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_events"
    __table_args__ = (
        CheckConstraint(
            "action IN ('register', 'consume', 'delete', 'restore',"
            " 'qa', 'hold', 'release', 'recall', 'dispose', 'reverse', 'reserve', 'unreserve')",
            name="action_known",
        ),
        CheckConstraint(
            "qa_state_after IN ('pending', 'released', 'rejected')", name="qa_state_after_known"
        ),
        Index("ix_audit_events_batch_id", "batch_id", "id"),
        Index("ix_audit_events_at", "at"),
        Index("ix_audit_events_order_id", "order_id"),
        Index("ix_audit_events_operator", "operator", "id"),
        # Exactly once: a change's request id is stored once; NULLs (no guard) may repeat.
        Index("ux_audit_events_request_id", "request_id", unique=True),
        # For PostgreSQL's check at COMMIT that each batch change has its event (0004).
        Index("ix_audit_events_batch_version", "batch_id", "version_after"),
        # A consume or dispose is reversed at most once (migration 0005).
        Index("ux_audit_events_reverses_id", "reverses_id", unique=True),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(16))
    liters_ml: Mapped[int | None] = mapped_column(BigInteger)
    remaining_after_ml: Mapped[int] = mapped_column(BigInteger)
    version_after: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[str | None] = mapped_column(String(32))
    operator: Mapped[str] = mapped_column(String(128))
    workstation: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str | None] = mapped_column(Text)
    correlation_id: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # The database login that wrote the event (PostgreSQL current_user; NULL on SQLite).
    db_user: Mapped[str | None] = mapped_column(String(128))
    # Hash chain (domain.audit_chain), one per batch; NULL on events from before it existed.
    prev_hash: Mapped[str | None] = mapped_column(CHAR(64))
    hash: Mapped[str | None] = mapped_column(CHAR(64))
    # The lifecycle (migration 0005); NULL on the other actions. Hashed when one is set.
    reason_code: Mapped[str | None] = mapped_column(String(32))  # dispose
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"))  # reverse
    qa_test: Mapped[str | None] = mapped_column(String(64))
    qa_result: Mapped[str | None] = mapped_column(String(8))
    qa_analyst: Mapped[str | None] = mapped_column(String(128))
    qa_kit: Mapped[str | None] = mapped_column(String(128))
    qa_sample_id: Mapped[str | None] = mapped_column(String(128))
    # register and qa: the batch's QA state once the event was applied (NULL elsewhere).
    qa_state_after: Mapped[str | None] = mapped_column(String(16))
    # reserve: the day the order plans to use the litres (migration 0006); hashed when set.
    reserved_for: Mapped[date | None] = mapped_column(Date)


class ReservationRow(Base):
    """Litres of one batch set aside for one order (migration 0006). Written only by the
    change that also moves the batch's reserved_ml and appends its audit event."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("reserved_ml > 0", name="reservation_positive"),
        UniqueConstraint("batch_id", "order_id", name="ux_reservations_batch_order"),
        Index("ix_reservations_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="RESTRICT"))
    order_id: Mapped[str] = mapped_column(String(32))
    reserved_ml: Mapped[int] = mapped_column(BigInteger)
    planned_for: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    operator: Mapped[str] = mapped_column(String(128))
    workstation: Mapped[str] = mapped_column(String(128))


class PlantSettingRow(Base):
    """Key/value plant settings shared by every PC."""

    __tablename__ = "plant_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(String(128))


class PlantSettingChangeRow(Base):
    """Append-only history of plant_settings, written by triggers on it (migration 0004)."""

    __tablename__ = "plant_setting_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    key: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    operator: Mapped[str | None] = mapped_column(String(128))
    db_user: Mapped[str | None] = mapped_column(String(128))
