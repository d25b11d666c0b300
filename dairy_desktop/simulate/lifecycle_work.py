"""The lifecycle side of an office PC: the lab's results, holds and their release, a rare
recall, write-offs with their reason codes, and reversals started from a batch's history.

Each is a dialog: opened on a batch (its version), a moment to type, then submitted with
that version, reloaded on a conflict the way the window does (dialog.submit_with_reloads).
"""

from __future__ import annotations

from collections.abc import Callable

from dairy_desktop.domain.audit import REVERSIBLE, AuditEvent, AuditFilter
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import hold_once, recall_once, release_once
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.reverse import reverse_once
from dairy_desktop.simulate.config import RECHECK_S, THINK_S
from dairy_desktop.simulate.desk import Desk
from dairy_desktop.simulate.dialog import submit_with_reloads

FAIL_SHARE = 0.08  # a positive beta-lactam screen: the load is rejected
ALL_SHARE = (
    0.05  # "dispose all" on a batch that is neither expired nor rejected: a count correction
)
WRONG_REASON_SHARE = 0.05  # `rejected-load` picked for a batch QA did not reject: refused
STALE_REVERSE_SHARE = 0.1  # reversing an event someone already reversed: refused
HISTORY_SHOWN = 20  # the details pane's most recent events
# Why litres of a usable batch are written off, and how many millilitres at most.
EVERYDAY_REASONS = {
    DisposeReason.SPILLAGE: 20_000,
    DisposeReason.LAB_SAMPLE: 500,
    DisposeReason.COUNT_CORRECTION: 5_000,
    DisposeReason.OTHER: 10_000,
}


class LifecycleWork(Desk):
    _required_tests: tuple[str, ...] = ()

    def qa(self) -> None:
        target = self._pick_any(
            [b for b in self.view if b.qa_state is QaState.PENDING and _changeable(b)]
        )
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        test = self.rng.choice(self._tests())
        result = "fail" if self.rng.random() < FAIL_SHARE else "pass"
        self._wait(THINK_S)  # reading the kit

        def submit(shown: Batch) -> Changed:
            return record_qa_once(
                self.session.database,
                shown.code,
                test=test,
                result=result,
                analyst=self.session.actor.operator,
                kit="simulated screening kit",
                sample_id=f"S-{self.rng.randint(0, 99999):05d}",
                actor=self.session.actor.for_action(),
                expected_version=shown.version,
                now=self.session.now(),
            )

        self._submitted(
            "qa",
            f"qa {result}",
            loaded,
            lambda b: b.qa_state is QaState.PENDING and _changeable(b),
            submit,
        )
        return None

    def hold(self) -> None:
        self._hold_or_release("hold", [b for b in self.view if _changeable(b) and not b.is_held])

    def release(self) -> None:
        self._hold_or_release("release", [b for b in self.view if b.is_held and not b.is_recalled])

    def recall(self) -> None:
        target = self._pick_any([b for b in self.view if not b.is_recalled])
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        self._wait(THINK_S)

        def submit(shown: Batch) -> Changed:
            return recall_once(
                self.session.database,
                shown.code,
                reason="simulated: supplier recall notice",
                actor=self.session.actor.for_action(),
                expected_version=shown.version,
                now=self.session.now(),
            )

        self._submitted("recall", "recall", loaded, lambda b: not b.is_recalled, submit)
        return None

    def dispose(self) -> None:
        target = self._pick_any([b for b in self.view if not b.is_deleted and b.remaining_ml])
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        reason, wanted = self._write_off(loaded)
        note = "simulated: milk went elsewhere" if reason is DisposeReason.OTHER else None
        self._wait(THINK_S)

        def submit(shown: Batch) -> Changed:
            return dispose_once(
                self.session.database,
                shown.code,
                None if wanted is None else from_milliliters(wanted),
                reason_code=reason,
                note=note,
                actor=self.session.actor.for_action(),
                expected_version=shown.version,
                now=self.session.now(),
            )

        done = self._submitted(
            "dispose",
            f"dispose {reason.value}",
            loaded,
            lambda b: not b.is_deleted and b.remaining_ml >= (wanted or 1),
            submit,
        )
        if done is not None:
            self.tally.disposed_ml += done.event.liters_ml or 0
        return None

    def reverse(self) -> None:
        target = self._pick_fifo([b for b in self.view if _changeable(b)])
        if target is None:
            return self.browse()
        events = self.tally.run("history", lambda: self._recent_events(target.code))
        stale = self.rng.random() < STALE_REVERSE_SHARE
        picked = self._pick_event([e for e in events if e.is_reversed == stale])
        if picked is None:
            return None  # nothing there to correct: the operator closes the pane
        loaded = self._open(target.code)
        self._wait(THINK_S)  # typing the reason

        def submit(shown: Batch) -> Changed:
            return reverse_once(
                self.session.database,
                picked.id,
                reason="simulated: consumed from the wrong batch",
                actor=self.session.actor.for_action(),
                expected_version=shown.version,
                now=self.session.now(),
            )

        done = self._submitted("reverse", f"reverse {picked.action}", loaded, _changeable, submit)
        if done is not None:
            self.tally.reversed_ml += done.event.liters_ml or 0
        return None

    # helpers
    def _hold_or_release(self, operation: str, candidates: list[Batch]) -> None:
        target = self._pick_any(candidates)
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        self._wait(THINK_S)  # typing the reason
        hold = operation == "hold"
        change = hold_once if hold else release_once
        reason = "simulated: supplier's lab report awaited" if hold else "simulated: report clean"

        def submit(shown: Batch) -> Changed:
            return change(
                self.session.database,
                shown.code,
                reason=reason,
                actor=self.session.actor.for_action(),
                expected_version=shown.version,
                now=self.session.now(),
            )

        self._submitted(
            operation,
            operation,
            loaded,
            lambda b: not b.is_recalled and b.is_held != hold and (not hold or _changeable(b)),
            submit,
        )
        return None

    def _submitted(
        self,
        operation: str,
        kind: str,
        loaded: Batch,
        still_makes_sense: Callable[[Batch], bool],
        submit: Callable[[Batch], Changed],
    ) -> Changed | None:
        done = submit_with_reloads(
            self.tally,
            operation,
            loaded,
            still_makes_sense=still_makes_sense,
            submit=submit,
            recheck=lambda: self._wait(RECHECK_S),
        )
        if done is not None:
            self.tally.kinds[kind] += 1
            self._remember(done.batch)
        return done

    def _write_off(self, batch: Batch) -> tuple[DisposeReason, int | None]:
        """The reason code that fits the batch, and the millilitres (None: all of them)."""
        if batch.qa_state is QaState.REJECTED:
            return DisposeReason.REJECTED_LOAD, None
        if self.rng.random() < WRONG_REASON_SHARE:
            return DisposeReason.REJECTED_LOAD, None  # refused: QA did not reject it
        # By its date, not its status: an expired delivery still awaiting QA reads as pending.
        if batch.expires_at <= self.session.now():
            return DisposeReason.EXPIRED, None
        if self.rng.random() < ALL_SHARE:
            return DisposeReason.COUNT_CORRECTION, None
        reason = self.rng.choice(list(EVERYDAY_REASONS))
        return reason, min(self.rng.randint(50, EVERYDAY_REASONS[reason]), batch.remaining_ml)

    def _recent_events(self, code: str) -> list[AuditEvent]:
        return [
            e
            for e in self.session.audit_page(AuditFilter(batch_code=code), limit=HISTORY_SHOWN)
            if e.action in REVERSIBLE
        ]

    def _pick_event(self, events: list[AuditEvent]) -> AuditEvent | None:
        return self.rng.choice(events) if events else None

    def _tests(self) -> tuple[str, ...]:
        if not self._required_tests:
            self._required_tests = self.session.plant_settings().required_tests
        return self._required_tests


def _changeable(batch: Batch) -> bool:
    return not batch.is_deleted and not batch.is_recalled
