"""Consumption on chosen plant days, through the use cases, on either real database; and
the totals the audit trail itself gives, to hold the report against.

PostgreSQL's clock stamps every event (the PC's `now` is ignored there), so a test puts its
events on the instants it chose by re-stamping them afterwards, as an administrator could:
the report only reads `at`, and nothing here checks the hash chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import update

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.consumption import ConsumptionTotals, Grouping
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.plant_settings import get_plant_settings
from dairy_desktop.services.reverse import reverse_once
from tests.integration.helpers import ANN, BOB, register
from tests.integration.lifecycle_stock import put_setting
from tests.support.tamper import tampering

BERLIN = ZoneInfo("Europe/Berlin")  # UTC+1 in December
ORDER_A = "ORDER-20251203-0001"
ORDER_B = "ORDER-20251204-0002"
CODES = ("SCH-20251203-0001", "SCH-20251203-0002", "SCH-20251203-0003")


def restamp(database: Database, event_id: int, at: datetime) -> None:
    with tampering(database) as connection:
        connection.execute(update(AuditEventRow).where(AuditEventRow.id == event_id).values(at=at))


def consume_at(
    database: Database, code: str, liters: str, at: datetime, *, order: str | None, actor: Actor
) -> int:
    used = consume_once(database, code, liters, order_id=order, actor=actor.for_action())
    restamp(database, used.event.id, at)
    return used.event.id


def reverse_at(database: Database, event_id: int, at: datetime, *, actor: Actor) -> int:
    undone = reverse_once(database, event_id, reason="wrong batch", actor=actor.for_action())
    restamp(database, undone.event.id, at)
    return undone.event.id


@dataclass(frozen=True)
class Seeded:
    days: tuple[date, date, date, date]  # four plant days in a row, the last one yesterday
    reversed_consume: int  # consumed late on the second day, reversed on the fourth

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        """`hour:minute` on the plant's clock on day 0-3, as a UTC instant."""
        plant_day = self.days[day]
        local = datetime(plant_day.year, plant_day.month, plant_day.day, hour, minute)
        return local.replace(tzinfo=BERLIN).astimezone(UTC)


def seed(database: Database) -> Seeded:
    """Two orders and consumes without one, by ann and bob, on four plant days (Berlin) with
    a plant midnight between two of them; two reversals, one made two days after its
    consume; a write-off and its reversal, which are not consumption. The batches arrived
    before the first day; all of it happened before today."""
    put_setting(database, "time_zone", "Europe/Berlin")
    today = datetime.now(BERLIN).date()
    days = (
        today - timedelta(days=4),
        today - timedelta(days=3),
        today - timedelta(days=2),
        today - timedelta(days=1),
    )
    for code in CODES:
        received = datetime.now(UTC) - timedelta(days=6)
        register(database, code, "1000", days=10, received=received)
    placed = Seeded(days, reversed_consume=0)
    at = placed.at
    consume_at(database, CODES[0], "100.5", at(0, 9), order=ORDER_A, actor=ANN)
    consume_at(database, CODES[1], "20.125", at(0, 10), order=ORDER_A, actor=BOB)
    late = consume_at(database, CODES[0], "7.001", at(1, 23, 30), order=ORDER_B, actor=ANN)
    consume_at(database, CODES[2], "0.999", at(2, 0, 30), order=ORDER_B, actor=BOB)
    loose = consume_at(database, CODES[1], "3", at(2, 0, 30), order=None, actor=BOB)
    consume_at(database, CODES[2], "12", at(3, 8), order=None, actor=ANN)
    reverse_at(database, late, at(3, 10), actor=BOB)
    reverse_at(database, loose, at(2, 0, 35), actor=BOB)
    written_off = dispose_once(
        database, CODES[2], "50", reason_code="spillage", actor=ANN.for_action()
    )
    restamp(database, written_off.event.id, at(2, 1))
    reverse_at(database, written_off.event.id, at(2, 2), actor=ANN)
    return replace(placed, reversed_consume=late)


def _key(by: Grouping, zone: tzinfo) -> Callable[[AuditEvent], str | None]:
    if by is Grouping.ORDER:
        return lambda event: event.order_id
    if by is Grouping.OPERATOR:
        return lambda event: event.operator
    return lambda event: event.at.astimezone(zone).date().isoformat()


def expected_totals(
    database: Database,
    by: Grouping,
    *,
    first: date | None = None,
    last: date | None = None,
) -> tuple[dict[str | None, ConsumptionTotals], ConsumptionTotals]:
    """What the audit trail says, event by event: consumes on plant days first..last, each
    less the litres of the reversal that undid it (whenever it was made). Days are the
    plant's, in the zone its settings name."""
    zone = get_plant_settings(database).zone
    events = list_audit(database)
    by_id = {event.id: event for event in events}
    consumes = [
        e
        for e in events
        if e.action is AuditAction.CONSUME
        and (first is None or e.at.astimezone(zone).date() >= first)
        and (last is None or e.at.astimezone(zone).date() <= last)
    ]
    key = _key(by, zone)
    groups: dict[str | None, list[AuditEvent]] = defaultdict(list)
    for event in consumes:
        groups[key(event)].append(event)

    def totals(chosen: list[AuditEvent]) -> ConsumptionTotals:
        reversed_ml = sum(
            by_id[e.reversed_by].liters_ml or 0 for e in chosen if e.reversed_by is not None
        )
        return ConsumptionTotals(
            consumed_ml=sum(e.liters_ml or 0 for e in chosen),
            reversed_ml=reversed_ml,
            consumes=len(chosen),
            batches=len({e.batch_code for e in chosen}),
        )

    return {k: totals(v) for k, v in groups.items()}, totals(consumes)
