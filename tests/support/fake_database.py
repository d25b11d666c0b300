"""An in-memory Database for testing the services without SQL.

It implements the ports in dairy_desktop.services.ports the way the real repositories behave:
a unit of work sees a private copy of the data and publishes it only on commit (leaving the
block without commit() discards it), every change bumps the version, and each guarded change
checks its conditions literally, as the SQL does, rather than by asking domain.allowances:
tests that compare the two then mean something.

One writer at a time, as SQLite does; nothing here is thread-safe, nor needs to be.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType

from dairy_desktop.domain.audit import REVERSIBLE, AuditAction, AuditEvent, AuditFilter
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused, batch_after
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.new_batch import NewBatch, duplicate_code
from dairy_desktop.domain.qa import DEFAULT_REQUIRED_TESTS, QaRecord, QaResult, QaState
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.stamp import Stamp


@dataclass(frozen=True)
class Lifecycle:
    """An event's lifecycle fields (qa, dispose, reverse), as the real repositories store."""

    reason_code: str | None = None
    reverses_id: int | None = None
    qa_test: str | None = None
    qa_result: str | None = None
    qa_analyst: str | None = None
    qa_kit: str | None = None
    qa_sample_id: str | None = None


NO_LIFECYCLE = Lifecycle()


def _gate_on(tables: _Tables) -> bool:
    """qa_release_required as the databases read it: a missing row is on."""
    stored = tables.settings.get("qa_release_required")
    return stored is None or stored[0].strip().lower() == "true"


def _required_tests(tables: _Tables) -> frozenset[str]:
    stored = tables.settings.get("qa_required_tests")
    names = {"-".join(p.lower().split()) for p in re.split(r"[,\n]", stored[0] if stored else "")}
    names.discard("")
    return frozenset(names or {DEFAULT_REQUIRED_TESTS})


def _cleared(batch: Batch) -> bool:
    return (
        batch.qa_state is QaState.RELEASED and batch.held_at is None and batch.recalled_at is None
    )


@dataclass
class _Tables:
    batches: dict[str, Batch] = field(default_factory=dict)  # by code
    events: list[AuditEvent] = field(default_factory=list)  # in id order
    settings: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    # (batch code, order id) -> its reservation
    reservations: dict[tuple[str, str], Reservation] = field(default_factory=dict)
    next_batch_id: int = 1


def _by_expiry(batches: list[Batch]) -> list[Batch]:
    return sorted(batches, key=lambda b: (b.expires_at, b.id))


class FakeBatches:
    def __init__(self, tables: _Tables) -> None:
        self._tables = tables

    def get_by_code(self, code: str) -> Batch | None:
        return self._tables.batches.get(code)

    def by_expiry(self, *, include_deleted: bool = True, limit: int | None = None) -> list[Batch]:
        batches = [b for b in self._tables.batches.values() if include_deleted or not b.is_deleted]
        return _by_expiry(batches)[:limit]

    def usable_expiring_before(self, horizon: datetime, *, now: datetime) -> list[Batch]:
        return _by_expiry(
            [
                b
                for b in self._tables.batches.values()
                if not b.is_deleted
                and b.remaining_ml > 0
                and now < b.expires_at < horizon
                and _cleared(b)
            ]
        )

    def changed_since(self, audit_id: int, *, up_to: int) -> list[Batch]:
        touched = {e.batch_code for e in self._tables.events if audit_id < e.id <= up_to}
        return _by_expiry([self._tables.batches[code] for code in touched])

    def add(self, new: NewBatch, stamp: Stamp) -> Batch:
        new = new.received_by(stamp.at)
        assert new.received_at is not None
        assert new.expires_at is not None
        existing = self._tables.batches.get(new.code)
        if existing is not None:
            raise duplicate_code(existing)
        batch = Batch(
            id=self._tables.next_batch_id,
            code=new.code,
            received_at=new.received_at,
            shelf_life_days=new.shelf_life_days,
            expires_at=new.expires_at,
            initial_ml=new.initial_ml,
            remaining_ml=new.initial_ml,
            fat_centi=new.fat_centi,
            version=1,
            deleted_at=None,
            updated_at=stamp.at,
            updated_by=stamp.operator,
            updated_workstation=stamp.workstation,
            supplier=new.intake.supplier,
            tanker=new.intake.tanker,
            seal=new.intake.seal,
            temperature_deci=new.intake.temperature_deci,
            qa_state=QaState.PENDING if _gate_on(self._tables) else QaState.RELEASED,
        )
        self._tables.next_batch_id += 1
        self._tables.batches[new.code] = batch
        return batch

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        stamp: Stamp,
        draw_ml: int = 0,
    ) -> Batch | None:
        return self._guarded(
            code,
            lambda b: (
                b.remaining_ml >= milliliters
                and b.remaining_ml - milliliters >= b.reserved_ml - draw_ml
                and b.deleted_at is None
                and b.expires_at > stamp.at
                and _cleared(b)
            ),
            expected_version,
            stamp,
            lambda b: dataclasses.replace(
                b, remaining_ml=b.remaining_ml - milliliters, reserved_ml=b.reserved_ml - draw_ml
            ),
        )

    def reserve(
        self, code: str, milliliters: int, *, expected_version: int | None, stamp: Stamp
    ) -> Batch | None:
        return self._guarded(
            code,
            lambda b: (
                milliliters > 0
                and b.remaining_ml - b.reserved_ml >= milliliters
                and b.deleted_at is None
                and b.expires_at > stamp.at
                and _cleared(b)
            ),
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, reserved_ml=b.reserved_ml + milliliters),
        )

    def unreserve(
        self, code: str, milliliters: int, *, expected_version: int | None, stamp: Stamp
    ) -> Batch | None:
        return self._guarded(
            code,
            lambda b: 0 < milliliters <= b.reserved_ml,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, reserved_ml=b.reserved_ml - milliliters),
        )

    def delete(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        return self._guarded(
            code,
            lambda b: b.deleted_at is None,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, deleted_at=stamp.at),
        )

    def restore(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        return self._guarded(
            code,
            lambda b: b.deleted_at is not None,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, deleted_at=None),
        )

    def hold(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        return self._guarded(
            code,
            lambda b: b.deleted_at is None and b.recalled_at is None and b.held_at is None,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, held_at=stamp.at),
        )

    def release(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        return self._guarded(
            code,
            lambda b: b.held_at is not None and b.recalled_at is None,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, held_at=None),
        )

    def recall(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        return self._guarded(
            code,
            lambda b: b.recalled_at is None,
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, recalled_at=stamp.at),
        )

    def dispose(
        self,
        code: str,
        milliliters: int,
        reason_code: DisposeReason,
        *,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        rejected_load = reason_code is DisposeReason.REJECTED_LOAD
        return self._guarded(
            code,
            lambda b: (
                b.deleted_at is None
                and 0 < milliliters <= b.remaining_ml - b.reserved_ml
                and (b.qa_state is QaState.REJECTED) == rejected_load
            ),
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, remaining_ml=b.remaining_ml - milliliters),
        )

    def record_qa(
        self,
        code: str,
        result: QaResult,
        *,
        completes_release: bool,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        def verdict(batch: Batch) -> Batch:
            if result is QaResult.FAIL:
                return dataclasses.replace(batch, qa_state=QaState.REJECTED)
            if completes_release:
                return dataclasses.replace(batch, qa_state=QaState.RELEASED)
            return batch

        return self._guarded(
            code,
            lambda b: (
                b.deleted_at is None
                and b.recalled_at is None
                and b.qa_state is not QaState.REJECTED
            ),
            expected_version,
            stamp,
            verdict,
        )

    def put_back(
        self,
        code: str,
        milliliters: int,
        *,
        event_id: int,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        reversed_already = any(e.reverses_id == event_id for e in self._tables.events)
        return self._guarded(
            code,
            lambda b: (
                not reversed_already
                and b.deleted_at is None
                and b.recalled_at is None
                and b.remaining_ml + milliliters <= b.initial_ml
            ),
            expected_version,
            stamp,
            lambda b: dataclasses.replace(b, remaining_ml=b.remaining_ml + milliliters),
        )

    def _guarded(
        self,
        code: str,
        holds: Callable[[Batch], bool],
        expected_version: int | None,
        stamp: Stamp,
        change: Callable[[Batch], Batch],
    ) -> Batch | None:
        batch = self._tables.batches.get(code)
        if batch is None or not holds(batch):
            return None
        if expected_version is not None and batch.version != expected_version:
            return None
        changed = dataclasses.replace(
            change(batch),
            version=batch.version + 1,
            updated_at=stamp.at,
            updated_by=stamp.operator,
            updated_workstation=stamp.workstation,
        )
        self._tables.batches[code] = changed
        return changed


class FakeAuditLog:
    def __init__(self, tables: _Tables) -> None:
        self._tables = tables

    def append(
        self,
        batch: Batch,
        action: AuditAction,
        stamp: Stamp,
        *,
        liters_ml: int | None = None,
        order_id: str | None = None,
        reason: str | None = None,
        lifecycle: Lifecycle = NO_LIFECYCLE,
        reserved_for: date | None = None,
    ) -> AuditEvent:
        previous = [e for e in self._tables.events if e.batch_code == batch.code]
        # register and qa record the QA state they left (migration 0005); others: None.
        state_after = (
            batch.qa_state.value if action in (AuditAction.REGISTER, AuditAction.QA) else None
        )
        content = ChainedContent(
            batch_code=batch.code,
            action=action.value,
            at=stamp.at,
            liters_ml=liters_ml,
            remaining_after_ml=batch.remaining_ml,
            version_after=batch.version,
            order_id=order_id,
            operator=stamp.operator,
            workstation=stamp.workstation,
            reason=reason,
            request_id=stamp.request_id,
            db_user=None,
            prev_hash=(previous[-1].hash if previous else None) or GENESIS,
            **dataclasses.asdict(lifecycle),
            qa_state_after=state_after,
            reserved_for=reserved_for,
        )
        event = AuditEvent(
            id=self.last_id() + 1,
            at=stamp.at,
            batch_code=batch.code,
            action=action,
            liters_ml=liters_ml,
            remaining_after_ml=batch.remaining_ml,
            version_after=batch.version,
            order_id=order_id,
            operator=stamp.operator,
            workstation=stamp.workstation,
            reason=reason,
            correlation_id=stamp.correlation_id,
            request_id=stamp.request_id,
            db_user=None,
            prev_hash=content.prev_hash,
            hash=event_hash(content),
            **dataclasses.asdict(lifecycle),
            qa_state_after=state_after,
            reserved_for=reserved_for,
        )
        self._tables.events.append(event)
        return event

    def _with_reversal(self, event: AuditEvent) -> AuditEvent:
        """`reversed_by` filled in, as the real reads join it on."""
        undone = next((e.id for e in self._tables.events if e.reverses_id == event.id), None)
        return dataclasses.replace(event, reversed_by=undone)

    def event_for_request(self, request_id: str) -> AuditEvent | None:
        event = next((e for e in self._tables.events if e.request_id == request_id), None)
        return None if event is None else self._with_reversal(event)

    def event_by_id(self, event_id: int) -> AuditEvent | None:
        event = next((e for e in self._tables.events if e.id == event_id), None)
        return None if event is None else self._with_reversal(event)

    def uses_of(self, code: str) -> list[AuditEvent]:
        return [
            self._with_reversal(e)
            for e in self._tables.events
            if e.batch_code == code and e.action is AuditAction.CONSUME
        ]

    def history(
        self,
        audit_filter: AuditFilter,
        *,
        limit: int | None = None,
        before_id: int | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        f = audit_filter
        events = [
            e
            for e in self._tables.events
            if (not f.batch_code or e.batch_code == f.batch_code.strip())
            and (not f.operator or e.operator == f.operator.strip())
            and (not f.action or e.action == f.action)
            and (not f.since or e.at >= f.since)
            and (not f.until or e.at < f.until)
            and (before_id is None or e.id < before_id)
        ]
        if newest_first:
            events.reverse()
        return [self._with_reversal(e) for e in events[:limit]]

    def codes_for_order(self, prefix: str, *, limit: int) -> set[str]:
        codes = {e.batch_code for e in self._tables.events if (e.order_id or "").startswith(prefix)}
        return set(sorted(codes)[:limit])

    def last_id(self) -> int:
        return self._tables.events[-1].id if self._tables.events else 0


class FakeChanges:
    """Each change with its audit event, or Refused; a known request id replays the first
    result, as the real repositories do (the PC's clock is the fake's only clock)."""

    def __init__(self, batches: FakeBatches, audit: FakeAuditLog, tables: _Tables) -> None:
        self._batches = batches
        self._audit = audit
        self._tables = tables

    def register(self, new: NewBatch, stamp: Stamp) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        existing = self._batches.get_by_code(new.code)
        if existing is not None:
            return Refused(existing, stamp.at)
        batch = self._batches.add(new, stamp)
        event = self._audit.append(batch, AuditAction.REGISTER, stamp, liters_ml=new.initial_ml)
        return Changed(batch, event)

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        order_id: str | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        own = self._tables.reservations.get((code, order_id or ""))
        draw = 0 if own is None or order_id is None else min(own.reserved_ml, milliliters)
        batch = self._batches.consume(
            code, milliliters, expected_version=expected_version, stamp=stamp, draw_ml=draw
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        if own is not None and draw:
            left = own.reserved_ml - draw
            if left:
                self._tables.reservations[(code, own.order_id)] = dataclasses.replace(
                    own,
                    reserved_ml=left,
                    updated_at=stamp.at,
                    operator=stamp.operator,
                    workstation=stamp.workstation,
                )
            else:
                del self._tables.reservations[(code, own.order_id)]
        event = self._audit.append(
            batch, AuditAction.CONSUME, stamp, liters_ml=milliliters, order_id=order_id
        )
        return Changed(batch, event)

    def reserve(
        self,
        code: str,
        milliliters: int,
        *,
        order_id: str,
        planned_for: date,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = self._batches.reserve(
            code, milliliters, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        before = self._tables.reservations.get((code, order_id))
        self._tables.reservations[(code, order_id)] = Reservation(
            order_id=order_id,
            batch_code=code,
            reserved_ml=milliliters + (0 if before is None else before.reserved_ml),
            planned_for=planned_for,
            updated_at=stamp.at,
            operator=stamp.operator,
            workstation=stamp.workstation,
        )
        event = self._audit.append(
            batch,
            AuditAction.RESERVE,
            stamp,
            liters_ml=milliliters,
            order_id=order_id,
            reserved_for=planned_for,
        )
        return Changed(batch, event)

    def unreserve(
        self, code: str, *, order_id: str, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        own = self._tables.reservations.get((code, order_id))
        held = 0 if own is None else own.reserved_ml
        batch = self._batches.unreserve(code, held, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        del self._tables.reservations[(code, order_id)]
        event = self._audit.append(
            batch, AuditAction.UNRESERVE, stamp, liters_ml=held, order_id=order_id
        )
        return Changed(batch, event)

    def delete(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._lifecycle(code, expected_version, reason, stamp, delete=True)

    def restore(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._lifecycle(code, expected_version, reason, stamp, delete=False)

    def _lifecycle(
        self, code: str, expected_version: int | None, reason: str, stamp: Stamp, *, delete: bool
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        change = self._batches.delete if delete else self._batches.restore
        batch = change(code, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        action = AuditAction.DELETE if delete else AuditAction.RESTORE
        return Changed(batch, self._audit.append(batch, action, stamp, reason=reason))

    def record_qa(
        self, code: str, record: QaRecord, *, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        passed = {
            e.qa_test
            for e in self._tables.events
            if e.batch_code == code and e.action is AuditAction.QA and e.qa_result == "pass"
        }
        before = self._batches.get_by_code(code)
        completes = (
            record.result is QaResult.PASS
            and before is not None
            and before.qa_state is QaState.PENDING
            and _required_tests(self._tables) <= passed | {record.test}
        )
        batch = self._batches.record_qa(
            code,
            record.result,
            completes_release=completes,
            expected_version=expected_version,
            stamp=stamp,
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        lifecycle = Lifecycle(
            qa_test=record.test,
            qa_result=record.result.value,
            qa_analyst=record.analyst,
            qa_kit=record.kit,
            qa_sample_id=record.sample_id,
        )
        event = self._audit.append(
            batch, AuditAction.QA, stamp, reason=record.note, lifecycle=lifecycle
        )
        return Changed(batch, event)

    def hold(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.HOLD, self._batches.hold, code, expected_version, reason, stamp
        )

    def release(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.RELEASE, self._batches.release, code, expected_version, reason, stamp
        )

    def recall(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.RECALL, self._batches.recall, code, expected_version, reason, stamp
        )

    def dispose(
        self,
        code: str,
        milliliters: int | None,
        *,
        reason_code: DisposeReason,
        note: str | None,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        if milliliters is None:
            before = self._batches.get_by_code(code)
            milliliters = 0 if before is None else before.remaining_ml
        batch = self._batches.dispose(
            code, milliliters, reason_code, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        event = self._audit.append(
            batch,
            AuditAction.DISPOSE,
            stamp,
            liters_ml=milliliters,
            reason=note,
            lifecycle=Lifecycle(reason_code=reason_code.value),
        )
        return Changed(batch, event)

    def reverse(
        self, event_id: int, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        original = self._audit.event_by_id(event_id)
        if original is None:
            return Refused(None, stamp.at)
        batch = None
        if original.action in REVERSIBLE and original.liters_ml is not None:
            batch = self._batches.put_back(
                original.batch_code,
                original.liters_ml,
                event_id=event_id,
                expected_version=expected_version,
                stamp=stamp,
            )
        if batch is None:
            return Refused(self._batches.get_by_code(original.batch_code), stamp.at)
        event = self._audit.append(
            batch,
            AuditAction.REVERSE,
            stamp,
            liters_ml=original.liters_ml,
            reason=reason,
            lifecycle=Lifecycle(reverses_id=event_id),
        )
        return Changed(batch, event)

    def _plain(
        self,
        action: AuditAction,
        change: Callable[..., Batch | None],
        code: str,
        expected_version: int | None,
        reason: str,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = change(code, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return Changed(batch, self._audit.append(batch, action, stamp, reason=reason))

    def _replayed(self, stamp: Stamp) -> Changed | None:
        if stamp.request_id is None:
            return None
        event = self._audit.event_for_request(stamp.request_id)
        if event is None:
            return None
        current = self._batches.get_by_code(event.batch_code)
        assert current is not None
        return Changed(batch_after(event, current), event, replayed=True)


class FakeReservations:
    def __init__(self, tables: _Tables) -> None:
        self._tables = tables

    def _sorted(self, keep: Callable[[Reservation], bool]) -> list[Reservation]:
        def key(r: Reservation) -> tuple[datetime, str, str]:
            return (self._tables.batches[r.batch_code].expires_at, r.batch_code, r.order_id)

        return sorted(filter(keep, self._tables.reservations.values()), key=key)

    def all(self) -> list[Reservation]:
        return self._sorted(lambda r: True)

    def for_order(self, order_id: str) -> list[Reservation]:
        return self._sorted(lambda r: r.order_id == order_id)

    def for_batch(self, code: str) -> list[Reservation]:
        return self._sorted(lambda r: r.batch_code == code)


class FakeSettings:
    def __init__(self, tables: _Tables) -> None:
        self._tables = tables

    def all(self) -> dict[str, str]:
        return {key: value for key, (value, _) in self._tables.settings.items()}

    def last_change(self) -> datetime | None:
        return max((at for _, at in self._tables.settings.values()), default=None)

    def put(self, key: str, value: str, *, at: datetime, by: str) -> None:
        self._tables.settings[key] = (value, at)


class FakeUnitOfWork:
    def __init__(self, database: FakeDatabase, *, write: bool) -> None:
        self._database = database
        self._write = write
        self._tables = copy.deepcopy(database.tables)
        self.batches = FakeBatches(self._tables)
        self.audit = FakeAuditLog(self._tables)
        self.settings = FakeSettings(self._tables)
        self.reservations = FakeReservations(self._tables)
        self.changes = FakeChanges(self.batches, self.audit, self._tables)

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._database.units_of_work.append("write" if self._write else "read")

    def commit(self) -> None:
        assert self._write, "a read-only unit of work committed a change"
        self._database.tables = self._tables
        self._database.commits += 1


class FakeDatabase:
    """Implements services.ports.Database. `commits` and `units_of_work` let a test see what
    the service did with its transactions."""

    kind = "memory"
    location = "in memory"

    def __init__(self, *, qa_gate: bool = False) -> None:
        """`qa_gate`: the QA release gate on (a new plant's database) or off (one upgraded
        with batches in stock, as the integration tests' templates are)."""
        self.tables = _Tables()
        self.set_qa_gate(qa_gate)
        self.commits = 0
        self.units_of_work: list[str] = []
        # Request ids of changes a test has the "server" still executing.
        self.in_flight: set[str] = set()

    def set_qa_gate(self, on: bool, *, required_tests: str | None = None) -> None:
        """Store the gate (and the required tests, if given) as if saved in Settings."""
        at = datetime(2025, 1, 1, tzinfo=UTC)
        self.tables.settings["qa_release_required"] = ("true" if on else "false", at)
        if required_tests is not None:
            self.tables.settings["qa_required_tests"] = (required_tests, at)

    def unit_of_work(self, *, write: bool = False, single_change: bool = False) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, write=write)

    def start_listening(
        self, on_change: Callable[[str], None], on_live: Callable[[bool], None]
    ) -> None:
        return None

    def change_in_flight(self, request_id: str) -> bool:
        return request_id in self.in_flight

    def server_now(self) -> datetime | None:
        return None  # like SQLite: the PC is the server

    def ping(self) -> None:
        pass

    def dispose(self) -> None:
        pass
