"""The daily sheet from what the services return: shared by the window and the command line.

No Qt here, so the window can build it on a worker thread and the CLI before loading Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.printing.sheet.data import MAX_SHEET_DAYS, DailySheet, build_daily_sheet
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.queries import BatchListing

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_sheet_date(text: str) -> date:
    """A calendar day as YYYY-MM-DD; anything else (words, other orders) is refused.

    `date.fromisoformat` alone would also take '20251204' and week dates: one spelling
    keeps scheduled jobs unambiguous.
    """
    raw = text.strip()
    try:
        if not _ISO_DAY.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"Sheet date {text!r} is not a calendar date; use YYYY-MM-DD, e.g. 2025-12-04.",
            field="date",
        ) from None


def validate_sheet_days(days: int) -> int:
    if not 0 <= days <= MAX_SHEET_DAYS:
        raise InvalidInput(
            f"The plan horizon must be 0–{MAX_SHEET_DAYS} days (got {days}).", field="days"
        )
    return days


def plant_today(listing: BatchListing) -> date:
    """Today on the plant's calendar (not the PC's): the default sheet date."""
    return listing.as_of.astimezone(listing.settings.zone).date()


def sheet_from_listing(
    listing: BatchListing,
    actor: Actor,
    *,
    sheet_date: date | None,
    days: int | None,
    reservations: Iterable[Reservation] = (),
) -> DailySheet:
    """The sheet for `sheet_date` (default: plant today) with a horizon of `days` (default:
    the plant setting); remaining litres and time left are as of the listing's moment.
    `reservations` (services.reservations.list_reservations) fill "Reservations at risk"."""
    settings = listing.settings
    return build_daily_sheet(
        listing.batches,
        sheet_date=sheet_date or plant_today(listing),
        days=settings.near_expiry_days if days is None else validate_sheet_days(days),
        zone=settings.zone,
        generated_at=listing.as_of,
        generated_by=actor.operator,
        workstation=actor.workstation,
        plant_name=settings.plant_name,
        temperature_limit_deci=settings.temperature_limit_deci,
        reservations=reservations,
    )
