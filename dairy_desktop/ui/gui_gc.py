"""Python's cyclic garbage collection, run on the GUI thread only, from a timer.

Automatic collection runs in whichever thread happens to allocate when a threshold is
crossed. A worker thread could then collect a cycle of widget wrappers (a dialog and a
lambda that captures it) and destroy Qt objects off the GUI thread; or the GUI thread could
collect inside an event filter (the scanner's key filter) while Qt is mid-dispatch. Both
crash the process without a Python traceback. So automatic collection is switched off and
this timer does the same work on the GUI thread, between events, with the same thresholds.

Plain reference counting still frees almost everything at once; only cycles wait for the
next tick (at most CHECK_MS).
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

CHECK_MS = 500


class GuiGarbageCollector(QObject):
    """Owns the timer; keep it alive (parent it to the application) for the process."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self.collections = [0, 0, 0]  # per generation, for tests and the log
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as gc itself would."""
        if gc.isenabled():  # a library switched it back on: off again, it must not run anywhere
            log.warning("automatic garbage collection was switched on again; switching it off")
            gc.disable()
        first, second, third = self._thresholds
        count0, count1, count2 = gc.get_count()
        generation = -1
        if count0 > first:
            generation = 0
            if count1 > second:
                generation = 1
                if count2 > third:
                    generation = 2
        if generation >= 0:
            gc.collect(generation)
            self.collections[generation] += 1

    def stop(self) -> None:
        """Back to automatic collection (tests; an app that ends its event loop).

        Call it once no worker thread runs. The cycles left so far are collected here, on
        the GUI thread, so the first automatic collection (in whichever thread allocates)
        finds no Qt wrappers waiting."""
        self._timer.stop()
        gc.collect()
        gc.enable()


def install_gui_gc(app: QObject) -> GuiGarbageCollector:
    """Switch automatic collection off and collect on `app`'s (the GUI) thread instead."""
    return GuiGarbageCollector(app)
