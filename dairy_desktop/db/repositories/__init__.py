"""Data access worded in the domain's terms: the services say what to do to a batch, these
say it in SQL.

They run Core statements on the unit of work's connection (no ORM session: it more than
doubled the client CPU per consume). Every change to a batch is one conditional UPDATE that
checks what must hold (version, remaining, not deleted, not expired; released by QA, not held,
not recalled) and bumps the version in the same statement, so two PCs can never both act on
the same state. RETURNING gives the new state without a re-read.
"""

from dairy_desktop.db.repositories.audit import AuditRepository
from dairy_desktop.db.repositories.batches import BatchRepository
from dairy_desktop.db.repositories.notify import CHANGES_CHANNEL
from dairy_desktop.db.repositories.settings import SettingsRepository

__all__ = ["CHANGES_CHANNEL", "AuditRepository", "BatchRepository", "SettingsRepository"]
