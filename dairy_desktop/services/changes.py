"""What changed since a PC last looked: drives targeted table updates instead of reloads."""

from __future__ import annotations

from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.ports import Database

MAX_ORDER_MATCHES = 5_000
MIN_ORDER_PREFIX = 3  # shorter prefixes match most of the trail and help nobody


def batches_changed_since(database: Database, audit_id: int) -> tuple[int, list[Batch]]:
    """The newest audit id and the current state of every batch touched after `audit_id`."""
    with database.unit_of_work() as uow:
        last = uow.audit.last_id()
        if last <= audit_id:
            return last, []
        return last, uow.batches.changed_since(audit_id, up_to=last)


def codes_for_order(database: Database, text: str) -> set[str]:
    """Codes of batches consumed for orders whose id starts with `text`.

    Order ids are stored upper case (validated), so the prefix is matched upper case too,
    which lets the database answer from its index on order ids.
    """
    prefix = text.strip().upper()
    if len(prefix) < MIN_ORDER_PREFIX or not prefix[0].isalpha():
        return set()
    with database.unit_of_work() as uow:
        return uow.audit.codes_for_order(prefix, limit=MAX_ORDER_MATCHES)
