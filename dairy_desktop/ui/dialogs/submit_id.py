"""One request id per submit, re-sent when that same submit is retried.

A change whose reply was lost (the connection dropped after COMMIT) may well be recorded.
Submitting it again under the same request id cannot record it twice: the database finds
the id and answers with the first result. A new submit (after success, or once the form
was edited) is a new change and gets a new id.
"""

from __future__ import annotations

from dairy_desktop.domain.errors import DatabaseUnavailable, OutcomeUnknown
from dairy_desktop.domain.request_id import new_request_id


def may_have_landed(error: BaseException) -> bool:
    """The change was sent but its outcome did not come back: a retry must re-send its id."""
    return isinstance(error, DatabaseUnavailable | OutcomeUnknown)


class SubmitId:
    def __init__(self) -> None:
        self._current: str | None = None

    def for_submit(self) -> str:
        """The id of the change being submitted: the pending one if this is a retry."""
        if self._current is None:
            self._current = new_request_id()
        return self._current

    def settle(self) -> None:
        """The change is done with (succeeded, refused, or the form changed): the next
        submit is a new change."""
        self._current = None

    def after_failure(self, error: BaseException) -> None:
        """Keep the id only while the change may have landed."""
        if not may_have_landed(error):
            self.settle()
