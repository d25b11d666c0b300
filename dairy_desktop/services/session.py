"""One PC's working session: its database and operator, with the use cases the window calls.

Plain Python (no Qt): the window runs these methods on worker threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from dairy_desktop.db.database import open_database
from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services import audit_trail, consume, lifecycle, plant_settings, queries
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_verify import AuditVerification, verify_audit
from dairy_desktop.services.changes import batches_changed_since, codes_for_order
from dairy_desktop.services.clock_offset import Clock, measure_offset
from dairy_desktop.services.ports import Database
from dairy_desktop.services.register import Registered, register_batch


@dataclass
class AppSession:
    """`clock` is this PC's; `clock_offset` (server − PC, from the last measure_clock_offset())
    turns it into the database server's time, which decides on PostgreSQL."""

    database: Database
    actor: Actor
    clock: Clock = utc_now
    clock_offset: timedelta = field(default=timedelta(0))

    @classmethod
    def open(cls, url: str, actor: Actor, clock: Clock = utc_now) -> AppSession:
        """Connect to `url` and bring its schema up to date, as the app does on start."""
        return cls(open_database(url), actor, clock)

    def with_operator(self, operator: str) -> AppSession:
        return replace(self, actor=replace(self.actor, operator=operator))

    def close(self) -> None:
        self.database.dispose()

    # the clock that decides
    def measure_clock_offset(self) -> timedelta:
        """Measure (and keep) how far the server's clock is ahead of this PC's."""
        self.clock_offset = measure_offset(self.database, clock=self.clock)
        return self.clock_offset

    def now(self) -> datetime:
        """The database server's time as best known here: what statuses are computed at."""
        return self.clock() + self.clock_offset

    # reads
    def listing(
        self, now: datetime | None = None, limit: int | None = None
    ) -> queries.BatchListing:
        return queries.list_batches(
            self.database, include_deleted=True, now=now or self.now(), limit=limit
        )

    def changes_since(self, token: int) -> tuple[int, list[Batch]]:
        return batches_changed_since(self.database, token)

    def change_token(self) -> tuple[int, str]:
        return queries.change_token(self.database)

    def batch(self, code: str) -> Batch:
        return queries.get_batch(self.database, code)

    def history(self, code: str) -> list[AuditEvent]:
        return audit_trail.list_audit(self.database, audit_trail.AuditFilter(batch_code=code))

    def audit_page(
        self, audit_filter: audit_trail.AuditFilter, *, limit: int, before_id: int | None = None
    ) -> list[AuditEvent]:
        return audit_trail.list_audit(
            self.database, audit_filter, limit=limit, before_id=before_id, newest_first=True
        )

    def codes_for_order(self, text: str) -> set[str]:
        return codes_for_order(self.database, text)

    def plant_settings(self) -> PlantSettings:
        return plant_settings.get_plant_settings(self.database)

    def ping(self) -> None:
        self.database.ping()

    def verify_audit(self) -> AuditVerification:
        """Recompute the audit's hash chains and replay every batch against its row."""
        return verify_audit(self.database)

    # changes (each a fresh correlation id: one user action). `request_id`: the id of the
    # submit this change belongs to; a retry of that submit re-sends it, and a change whose
    # id is already recorded is not made again.
    def consume(
        self,
        code: str,
        liters: str | Decimal,
        *,
        order_id: str | None,
        expected_version: int | None,
        request_id: str | None = None,
    ) -> Batch:
        return consume.consume(
            self.database,
            code,
            liters,
            actor=self.actor.for_action(request_id),
            order_id=order_id,
            expected_version=expected_version,
            now=self.now(),
        )

    def register(
        self,
        *,
        code: str,
        liters: str | Decimal,
        shelf_life_days: int,
        received_at: datetime | None,
        fat_percent: str | None,
        request_id: str | None = None,
        supplier: str | None = None,
        tanker: str | None = None,
        seal: str | None = None,
        temperature: str | None = None,
    ) -> Registered:
        return register_batch(
            self.database,
            code=code,
            liters=liters,
            shelf_life_days=shelf_life_days,
            received_at=received_at,
            fat_percent=fat_percent,
            supplier=supplier,
            tanker=tanker,
            seal=seal,
            temperature=temperature,
            actor=self.actor.for_action(request_id),
            now=self.now(),
        )

    def delete(
        self,
        code: str,
        reason: str,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> Batch:
        return lifecycle.delete_batch(
            self.database,
            code,
            reason=reason,
            actor=self.actor.for_action(request_id),
            expected_version=expected_version,
            now=self.now(),
        )

    def restore(
        self,
        code: str,
        reason: str,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> Batch:
        return lifecycle.restore_batch(
            self.database,
            code,
            reason=reason,
            actor=self.actor.for_action(request_id),
            expected_version=expected_version,
            now=self.now(),
        )

    def update_plant_settings(self, settings: PlantSettings) -> None:
        plant_settings.update_plant_settings(self.database, settings, self.actor.for_action())
