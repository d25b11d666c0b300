from datetime import UTC, datetime, timedelta, timezone

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import DuplicateCode, InvalidInput
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.queries import get_batch, list_batches
from dairy_desktop.services.register import register_batch
from tests.integration.helpers import ANN, register

# The clock these tests decide "in the future" against: theirs, not the moment of collection.
NOW = datetime(2025, 12, 4, 8, 0, tzinfo=UTC)


def test_registering_stores_exact_litres_utc_times_and_one_audit_event(database: Database) -> None:
    received = datetime(2025, 12, 4, 7, 30, tzinfo=timezone(timedelta(hours=2)))
    result = register_batch(
        database,
        code="SCH-20251204-0001",
        liters="999.999",
        shelf_life_days=3,
        received_at=received,
        fat_percent="3.75",
        actor=ANN,
    )
    stored = get_batch(database, "SCH-20251204-0001")
    assert stored == result.batch
    assert str(stored.remaining_liters) == "999.999"
    assert str(stored.fat_percent) == "3.75"
    assert stored.received_at == datetime(2025, 12, 4, 5, 30, tzinfo=UTC)
    assert stored.received_at.tzinfo == UTC
    assert stored.expires_at == datetime(2025, 12, 7, 5, 30, tzinfo=UTC)
    assert stored.version == 1
    [event] = list_audit(database)
    assert (event.action, str(event.liters), event.operator, event.workstation) == (
        AuditAction.REGISTER,
        "999.999",
        "ann",
        "PC-1",
    )


def test_a_late_entry_of_an_expired_delivery_is_accepted_with_a_warning(database: Database) -> None:
    result = register_batch(
        database,
        code="SCH-20251204-0002",
        liters="10",
        shelf_life_days=1,
        received_at=datetime.now(UTC) - timedelta(days=3),
        actor=ANN,
    )
    assert result.warnings
    assert "already expired" in result.warnings[0]
    assert list_batches(database, include_deleted=True).batches[0].code == "SCH-20251204-0002"


def test_a_duplicate_code_is_refused_naming_the_existing_batch(database: Database) -> None:
    register(database, liters="500")
    with pytest.raises(DuplicateCode, match=r"SCH-20251204-0001 is already registered.*500\.000 L"):
        register(database, liters="20")
    assert len(list_audit(database)) == 1


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("code", {"code": "sch-1"}),
        ("liters", {"liters": "0"}),
        ("shelf_life", {"shelf_life_days": 31}),
        ("fat", {"fat_percent": "101"}),
        ("received", {"received_at": NOW + timedelta(minutes=10)}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    database: Database, field: str, changes: dict[str, object]
) -> None:
    values: dict[str, object] = {
        "code": "SCH-20251204-0003",
        "liters": "10",
        "shelf_life_days": 3,
        "actor": ANN,
        "now": NOW,
    }
    values.update(changes)
    with pytest.raises(InvalidInput) as refused:
        register_batch(database, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert list_batches(database, include_deleted=True).batches == []
    assert list_audit(database) == []


def test_received_a_few_minutes_ahead_is_tolerated_for_clock_skew(database: Database) -> None:
    ahead = NOW + timedelta(minutes=4)
    register_batch(
        database,
        code="SCH-20251204-0001",
        liters="10",
        shelf_life_days=3,
        received_at=ahead,
        actor=ANN,
        now=NOW,
    )
    assert get_batch(database, "SCH-20251204-0001").received_at == ahead
