"""What the use cases need of storage, in the domain's words.

dairy_desktop.db implements these against SQLite and PostgreSQL; tests/support/fake_database.py
implements them in memory. Every change a repository makes to a batch is all-or-nothing and
checked against the batch's state at that instant (None when the check fails), so a service
never reads a batch in order to decide whether it may change it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType
from typing import Protocol

from dairy_desktop.domain.audit import AuditEvent, AuditFilter
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.qa import QaRecord
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.stamp import Stamp


class Batches(Protocol):
    def get_by_code(self, code: str) -> Batch | None: ...

    def by_expiry(self, *, include_deleted: bool = True, limit: int | None = None) -> list[Batch]:
        """First-expiring first (ties by registration order); `limit`: just the first ones."""
        ...

    def usable_expiring_before(self, horizon: datetime, *, now: datetime) -> list[Batch]:
        """Consumable at `now` (see domain.allowances) and expiring before `horizon`."""
        ...

    def changed_since(self, audit_id: int, *, up_to: int) -> list[Batch]:
        """Current state of each batch with an audit event in (audit_id, up_to]."""
        ...

    def add(self, new: NewBatch, stamp: Stamp) -> Batch:
        """Store a full batch at version 1; raises DuplicateCode if the code is taken."""
        ...

    def consume(
        self, code: str, milliliters: int, *, expected_version: int | None, stamp: Stamp
    ) -> Batch | None:
        """Take the litres iff the batch is not deleted, not expired at `stamp.at`, has that
        much left and (if given) is at `expected_version`; bumps the version."""
        ...

    def delete(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Soft-delete iff not deleted (and at `expected_version` if given)."""
        ...

    def restore(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Undo a delete iff deleted (and at `expected_version` if given)."""
        ...


class Changes(Protocol):
    """Each change to a batch all at once: the guard, the change and its audit event (with
    its hash), and the notice to other PCs; or nothing (Refused). A change whose
    `stamp.request_id` is already recorded changes nothing and returns the first result
    (Changed.replayed). Where the database has a clock of its own (PostgreSQL), that clock
    decides expiry and every time written, and `stamp.at` is ignored."""

    def register(self, new: NewBatch, stamp: Stamp) -> Changed | Refused:
        """Store a full batch at version 1 with its intake; Refused(the batch holding it) if
        the code is taken. `new.received_at` None: received now, by the database's clock.
        It starts `pending` QA when the plant setting qa_release_required is on (read in
        the same statement; a missing row counts as on), else `released`."""
        ...

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        order_id: str | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        """Take the litres iff the batch is consumable (released by QA, not held, not
        recalled, not deleted, not expired), has that much left beyond other orders'
        reservations and (if given) is at `expected_version`; bumps the version. With an
        order the litres come out of its own reservation on the batch first (min(own,
        litres)), which shrinks or goes. One conditional statement decides."""
        ...

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
        """Set the litres aside for `order_id` iff the batch is consumable (as consume
        needs it) and that much is neither reserved already nor missing; adds to the order's
        reservation on the batch, whose planned day becomes `planned_for`. Audited as
        `reserve` (liters_ml, order_id, reserved_for)."""
        ...

    def unreserve(
        self, code: str, *, order_id: str, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        """Let all of `order_id`'s reservation on the batch go, whatever the batch's status;
        Refused when it holds none. Audited as `unreserve` with the litres released."""
        ...

    def record_qa(
        self, code: str, record: QaRecord, *, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        """Append one lab result iff the batch is not deleted, not recalled and not rejected.
        A fail makes it rejected; a pass that completes the required tests (plant setting
        qa_required_tests, read in the same statement) releases a pending batch."""
        ...

    def hold(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Put on hold iff not deleted, not recalled and not held already."""
        ...

    def release(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Lift a hold iff held (and not recalled: a recall is final)."""
        ...

    def recall(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Recall iff not recalled already (a deleted batch too: its milk was used)."""
        ...

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
        """Write litres off (None: all that remain) iff not deleted, that much (more than
        nothing) is left beyond what is reserved, and the reason fits: a rejected batch
        only as `rejected-load`, which in turn is only for a rejected batch."""
        ...

    def reverse(
        self, event_id: int, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Put back the litres of consume or dispose event `event_id` with a new `reverse`
        event linked to it, iff it is such an event, not reversed already, and its batch is
        neither deleted nor recalled (and at `expected_version` if given). Refused carries
        the batch (None if no such event)."""
        ...

    def delete(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Soft-delete iff not deleted (and at `expected_version` if given)."""
        ...

    def restore(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        """Undo a delete iff deleted (and at `expected_version` if given)."""
        ...


class AuditLog(Protocol):
    def event_for_request(self, request_id: str) -> AuditEvent | None:
        """The event of the change sent with `request_id`, None if none was recorded."""
        ...

    def event_by_id(self, event_id: int) -> AuditEvent | None:
        """One event, with `reversed_by` filled in; None if there is no such id."""
        ...

    def uses_of(self, code: str) -> list[AuditEvent]:
        """The batch's consume events, oldest first, each with `reversed_by` filled in:
        which orders used the milk (a recall's answer)."""
        ...

    def history(
        self,
        audit_filter: AuditFilter,
        *,
        limit: int | None = None,
        before_id: int | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        """Events with `reversed_by` filled in, so a reversed one reads as reversed."""
        ...

    def codes_for_order(self, prefix: str, *, limit: int) -> set[str]:
        """Codes of batches consumed for orders whose id starts with `prefix`."""
        ...

    def last_id(self) -> int:
        """The newest event's id, 0 if none: every batch change moves it."""
        ...


class Reservations(Protocol):
    """Reservations, first-expiring batch first (then by code and order)."""

    def all(self) -> list[Reservation]: ...

    def for_order(self, order_id: str) -> list[Reservation]: ...

    def for_batch(self, code: str) -> list[Reservation]: ...


class SettingsStore(Protocol):
    def all(self) -> dict[str, str]: ...

    def last_change(self) -> datetime | None: ...

    def put(self, key: str, value: str, *, at: datetime, by: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: leaving the `with` block rolls back unless commit() was called."""

    @property
    def batches(self) -> Batches: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def settings(self) -> SettingsStore: ...

    @property
    def reservations(self) -> Reservations: ...

    @property
    def changes(self) -> Changes: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class LiveUpdates(Protocol):
    """A running listener for other PCs' changes."""

    def stop(self) -> None: ...


class Database(Protocol):
    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql' (what the window names in its status bar)."""
        ...

    @property
    def location(self) -> str:
        """Where the data is, without any password."""
        ...

    def unit_of_work(self, *, write: bool = False, single_change: bool = False) -> UnitOfWork:
        """`write`: the transaction will change something (SQLite takes its write lock up
        front, so two PCs' writers queue instead of failing). `single_change`: the block
        writes only through one call of `changes`; reads before it may each see their own
        instant. PostgreSQL then sends that change as one statement with no transaction
        around it (no BEGIN/COMMIT round trips); commit() is still called after it."""
        ...

    def start_listening(
        self, on_change: Callable[[str], None], on_live: Callable[[bool], None]
    ) -> LiveUpdates | None:
        """Call `on_change(code or "settings")` when another PC commits a change and
        `on_live(bool)` as pushing starts and stops; None where nothing can be pushed."""
        ...

    def change_in_flight(self, request_id: str) -> bool:
        """Whether the server is still executing a change sent with `request_id` (its
        connection lost, the statement waiting for a lock): it may yet commit, so its
        request id missing from the audit trail does not yet mean it was not recorded.
        Raises DatabaseUnavailable if the database cannot be asked."""
        ...

    def server_now(self) -> datetime | None:
        """The database server's clock now, or None where the PC is the server (SQLite).
        Raises DatabaseUnavailable if the server cannot be asked."""
        ...

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless the database answers."""
        ...

    def dispose(self) -> None: ...
