"""The `orders` commands' JSON shapes (a scripting contract) and their lines for people.

Litres are "0.000" strings and instants ISO 8601 UTC with a Z, as everywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.output import print_table
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.liters import format_liters, from_milliliters

if TYPE_CHECKING:
    from dairy_desktop.services.orders_consume import OrderConsumed
    from dairy_desktop.services.orders_pick import OrderPick
    from dairy_desktop.services.orders_reserve import OrderReserved
    from dairy_desktop.services.orders_unreserve import OrderUnreserved, ReservationNow


def pick_to_dict(pick: OrderPick) -> dict[str, Any]:
    return {
        "order": pick.order_id,
        "liters": format_liters(pick.liters),
        "lines": [
            {
                "code": line.code,
                "liters": format_liters(line.liters),
                "expires_at": iso_z(line.expires_at),
                "version": line.version,
            }
            for line in pick.lines
        ],
        "short_by": format_liters(pick.short_by),
    }


def consumed_to_dict(consumed: OrderConsumed) -> dict[str, Any]:
    """Each line as its change left the batch: its version and litres left after it."""
    return {
        "order": consumed.order_id,
        "liters": format_liters(consumed.liters),
        "request_id": consumed.request_id,
        "lines": [
            {
                "code": change.batch.code,
                "liters": format_liters(from_milliliters(change.event.liters_ml or 0)),
                "expires_at": iso_z(change.batch.expires_at),
                "version": change.event.version_after,
                "event_id": change.event.id,
                "remaining": format_liters(change.event.remaining_after),
            }
            for change in consumed.lines
        ],
        "replayed": consumed.replayed,
    }


def print_pick(pick: OrderPick) -> None:
    count = len(pick.lines)
    print(
        f"{pick.order_id}: {format_liters(pick.liters)} L from {count} "
        f"batch{'es' if count != 1 else ''}, first expiring first"
        + ("" if pick.covered else f"; short by {format_liters(pick.short_by)} L")
    )
    if pick.lines:
        print_table(
            [
                [line.code, format_liters(line.liters), iso_z(line.expires_at), str(line.version)]
                for line in pick.lines
            ],
            ["code", "liters", "expires_at", "version"],
        )


def print_consumed(consumed: OrderConsumed) -> None:
    item = consumed_to_dict(consumed)
    count = len(item["lines"])
    done = "already consumed" if consumed.replayed else "consumed"
    print(
        f"{item['order']}: {item['liters']} L {done} from {count} "
        f"batch{'es' if count != 1 else ''} (request id {item['request_id']})"
    )
    print_table(
        [
            [
                line["code"],
                line["liters"],
                line["remaining"],
                str(line["version"]),
                str(line["event_id"]),
            ]
            for line in item["lines"]
        ],
        ["code", "liters", "remaining", "version", "event"],
    )


def reserved_to_dict(reserved: OrderReserved) -> dict[str, Any]:
    return {
        "order": reserved.order_id,
        "liters": format_liters(reserved.liters),
        "for": reserved.planned_for.isoformat(),
        "lines": [
            {
                "code": line.changed.batch.code,
                "liters": format_liters(from_milliliters(line.changed.event.liters_ml or 0)),
                "expires_at": iso_z(line.changed.batch.expires_at),
                "at_risk": line.at_risk,
            }
            for line in reserved.lines
        ],
    }


def reservation_to_dict(held: ReservationNow) -> dict[str, Any]:
    reservation = held.reservation
    return {
        "order": reservation.order_id,
        "code": reservation.batch_code,
        "liters": format_liters(reservation.liters),
        "for": reservation.planned_for.isoformat(),
        "expires_at": iso_z(held.expires_at),
        "at_risk": held.at_risk,
        "status": held.status.value,
    }


def print_reserved(reserved: OrderReserved) -> None:
    item = reserved_to_dict(reserved)
    count = len(item["lines"])
    done = "already reserved" if reserved.replayed else "reserved"
    print(
        f"{item['order']}: {item['liters']} L {done} for {item['for']} on {count} "
        f"batch{'es' if count != 1 else ''} (request id {reserved.request_id})"
    )
    print_table(
        [
            [line["code"], line["liters"], line["expires_at"], "yes" if line["at_risk"] else ""]
            for line in item["lines"]
        ],
        ["code", "liters", "expires_at", "at_risk"],
    )


def print_reservations(listed: list[ReservationNow]) -> None:
    if not listed:
        print("No reservations.")
        return
    rows = []
    for held in listed:
        item = reservation_to_dict(held)
        risk = f"yes: {held.risk}" if held.risk else ""
        rows.append(
            [
                item["order"],
                item["code"],
                item["liters"],
                item["for"],
                item["expires_at"],
                item["status"],
                risk,
            ]
        )
    print_table(rows, ["order", "code", "liters", "for", "expires_at", "status", "at_risk"])


def print_unreserved(unreserved: OrderUnreserved) -> None:
    count = len(unreserved.lines)
    total = sum(change.event.liters_ml or 0 for change in unreserved.lines)
    done = "were already let go" if unreserved.replayed else "let go"
    print(
        f"{unreserved.order_id}: {format_liters(from_milliliters(total))} L reserved on "
        f"{count} batch{'es' if count != 1 else ''} {done} (request id "
        f"{unreserved.request_id})"
    )


def unreserved_to_dict(unreserved: OrderUnreserved) -> dict[str, Any]:
    return {
        "order": unreserved.order_id,
        "request_id": unreserved.request_id,
        "lines": [
            {
                "code": change.batch.code,
                "liters": format_liters(from_milliliters(change.event.liters_ml or 0)),
                "event_id": change.event.id,
            }
            for change in unreserved.lines
        ],
        "replayed": unreserved.replayed,
    }
