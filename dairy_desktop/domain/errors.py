"""Refusals the domain and services raise, each with the CLI exit code it maps to.

Every message says what was wrong, why, and (where it helps) what to do.
"""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Versioned(Protocol):
    """What a conflict tells of the batch as it is now (domain.batch.Batch has it all).

    Named here rather than imported: domain.batch imports this module, and a module that
    both imported the other would be an import circle.
    """

    @property
    def code(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def updated_by(self) -> str | None: ...

    @property
    def updated_workstation(self) -> str | None: ...


CurrentT = TypeVar("CurrentT", bound=Versioned)


class DairyError(Exception):
    """Base of every refusal the product reports to an operator or a script."""

    exit_code = 1


class InvalidInput(DairyError):
    """The input itself is malformed (a field that can never be accepted as typed)."""

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class VersionConflict(DairyError, Generic[CurrentT]):
    """The batch changed since the caller read it; carries the batch as it is now."""

    exit_code = 3

    def __init__(self, expected_version: int, current: CurrentT) -> None:
        who = current.updated_by or "someone"
        where = f" on {current.updated_workstation}" if current.updated_workstation else ""
        super().__init__(
            f"Batch {current.code} changed since it was loaded (you saw version "
            f"{expected_version}, it is now version {current.version}, changed by {who}{where}); "
            "nothing was saved. Reload and check before trying again."
        )
        self.expected_version = expected_version
        self.current = current


class NotFound(DairyError):
    exit_code = 4


class RuleRefused(DairyError):
    """A well-formed request that the plant's rules do not allow right now."""

    exit_code = 5


class NotEnoughLeft(RuleRefused):
    pass


class BatchExpired(RuleRefused):
    pass


class BatchDeleted(RuleRefused):
    pass


class BatchNotDeleted(RuleRefused):
    pass


class DuplicateCode(RuleRefused):
    pass


class DatabaseUnavailable(DairyError):
    exit_code = 6


class SchemaTooNew(DairyError):
    exit_code = 6


class OutcomeUnknown(DairyError):
    """The change was sent but neither its reply nor a later look-up of its request id came
    back: it may or may not be recorded, and only the audit trail can tell."""

    exit_code = 7

    def __init__(
        self,
        request_id: str,
        why: str = "the database could not be reached to confirm the change",
    ) -> None:
        super().__init__(
            f"outcome unknown: {why}; check with `dairy-desktop audit --request-id {request_id}`"
        )
        self.request_id = request_id


PlanT = TypeVar("PlanT")


class PlanNoLongerHolds(DairyError, Generic[PlanT]):
    """A multi-batch change was refused at one of its batches (changed, held, expired, not
    enough left since the plan was made), so none of it was written; carries the plan the
    stock allows now, for the operator to check and send again."""

    exit_code = 3

    def __init__(self, message: str, proposal: PlanT) -> None:
        super().__init__(message)
        self.proposal = proposal


class NotEnoughStock(NotEnoughLeft, Generic[PlanT]):
    """All the consumable batches together cannot cover what an order asks; carries the
    plan as far as they go (its shortfall included)."""

    def __init__(self, message: str, proposal: PlanT) -> None:
        super().__init__(message)
        self.proposal = proposal
