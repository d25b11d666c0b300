"""A batch's lifecycle in a word, for dialogs that show it without the clock (no expiry band).

The same precedence as domain.status: the strongest reason not to use a batch is named.
"""

from __future__ import annotations

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState


def lifecycle_word(batch: Batch) -> str:
    if batch.is_deleted:
        return "Deleted"
    if batch.is_recalled:
        return "Recalled"
    if batch.qa_state is QaState.REJECTED:
        return "Rejected by QA"
    if batch.is_held:
        return "On hold"
    if batch.qa_state is QaState.PENDING:
        return "Awaiting QA"
    return "Released"
