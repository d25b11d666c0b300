"""FEFO (first expired, first out): which batches an order's litres come from.

Pure arithmetic over candidates the caller has already found consumable: sorted by expiry,
then by when they were received, then by code (the same tie-breaks as Odoo's removal
strategy: removal date, in date, id), and the litres split across them in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.liters import from_milliliters


@dataclass(frozen=True, slots=True)
class Candidate:
    """A consumable batch and the millilitres it can give this order (its remaining
    litres less what other orders have reserved on it), `own_ml` of them reserved for this
    order already."""

    code: str
    available_ml: int
    expires_at: datetime
    received_at: datetime
    version: int
    own_ml: int = 0


@dataclass(frozen=True, slots=True)
class PickLine:
    """Take `ml` from batch `code`, as seen at `version`."""

    code: str
    ml: int
    expires_at: datetime
    version: int

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.ml)


@dataclass(frozen=True, slots=True)
class Split:
    """The lines FEFO proposes and what the candidates could not cover (0: all of it)."""

    lines: tuple[PickLine, ...]
    short_by_ml: int

    @property
    def covered(self) -> bool:
        return self.short_by_ml == 0


# A batch's place in FEFO order: expiry, received time, code.
FefoKey = tuple[datetime, datetime, str]


def fefo_key(candidate: Candidate) -> FefoKey:
    return (candidate.expires_at, candidate.received_at, candidate.code)


def fefo_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """First expiring first; the same expiry: first received first; then by code, so two
    PCs always propose the same plan for the same stock."""
    return sorted(candidates, key=fefo_key)


def split_fefo(milliliters: int, candidates: Iterable[Candidate]) -> Split:
    """Take `milliliters` from the candidates in FEFO order, each as far as it has litres
    available; candidates with nothing available are passed over.

    The order's own reservations come first (in FEFO order among themselves): litres set
    aside for it are what it consumes, rather than leaving them reserved while it takes
    other milk. Then FEFO over what is left. Lines are in FEFO order, one per batch."""
    if milliliters <= 0:
        raise ValueError(f"a pick takes more than nothing (got {milliliters} mL)")
    ordered = fefo_order(candidates)
    taken = dict.fromkeys((c.code for c in ordered), 0)
    wanted = milliliters
    for candidate in ordered:
        take = min(wanted, candidate.own_ml, candidate.available_ml)
        if take > 0:
            taken[candidate.code] += take
            wanted -= take
    for candidate in ordered:
        take = min(wanted, candidate.available_ml - taken[candidate.code])
        if take > 0:
            taken[candidate.code] += take
            wanted -= take
    lines = tuple(
        PickLine(c.code, taken[c.code], c.expires_at, c.version) for c in ordered if taken[c.code]
    )
    return Split(lines, wanted)


def earlier_batch_with_enough(
    chosen_code: str, milliliters: int, candidates: Sequence[Candidate]
) -> Candidate | None:
    """The first candidate (FEFO order) that expires strictly before `chosen_code` and alone
    has `milliliters` available: taking from the chosen batch instead would leave older milk
    to expire. None when there is none, when the chosen batch holds that much reserved for
    the order (those litres are its to take), or it is not among the candidates."""
    chosen = next((c for c in candidates if c.code == chosen_code), None)
    if chosen is None or chosen.own_ml >= milliliters:
        return None
    for candidate in fefo_order(candidates):
        if candidate.expires_at >= chosen.expires_at:
            return None
        if candidate.available_ml >= milliliters:
            return candidate
    return None
