"""Which lifecycle changes the window offers for a batch: the menus and buttons follow it.

The same rules as the database guard (services/ports.Changes), read from the batch as last
loaded; the guard checks again, and a refusal is explained in the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from dairy_desktop.domain.allowances import allowance
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus


@dataclass(frozen=True, slots=True)
class Offers:
    qa: bool = False
    hold: bool = False
    release: bool = False
    recall: bool = False
    dispose: bool = False


NOTHING = Offers()


def offers(batch: Batch, status: BatchStatus) -> Offers:
    usable_record = not batch.is_deleted and not batch.is_recalled
    return Offers(
        qa=usable_record and batch.qa_state is not QaState.REJECTED,
        hold=usable_record and not batch.is_held,
        release=batch.is_held and not batch.is_recalled,
        recall=not batch.is_recalled,
        dispose=allowance(status).dispose and batch.remaining_ml > 0,
    )
