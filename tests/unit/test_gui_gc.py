"""Cyclic garbage is collected by the GUI thread's timer only, never by a worker's allocation."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.gui_gc import GuiGarbageCollector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture
def collector(qtbot: QtBot) -> Iterator[GuiGarbageCollector]:
    made = GuiGarbageCollector(interval_ms=60_000)  # ticks by hand: check()
    yield made
    made.stop()


def test_automatic_collection_is_off_while_installed_and_back_on_after(
    collector: GuiGarbageCollector,
) -> None:
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()


def test_a_worker_allocating_heavily_collects_nothing(collector: GuiGarbageCollector) -> None:
    gc.collect()
    cycle = _cycle()

    def allocate() -> None:
        for _ in range(50_000):
            Node().other = Node()

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert cycle() is not None  # gen-0 threshold passed many times, no collection ran


def test_the_timer_collects_a_cycle_once_past_the_threshold(
    collector: GuiGarbageCollector,
) -> None:
    gc.collect()
    cycle = _cycle()
    collector.check()
    assert cycle() is not None  # below the threshold: nothing to do yet
    keep = [Node() for _ in range(gc.get_threshold()[0] + 10)]
    collector.check()
    assert cycle() is None
    assert collector.collections[0] >= 1
    assert keep


def test_a_library_switching_collection_back_on_is_undone(
    collector: GuiGarbageCollector,
) -> None:
    gc.enable()
    collector.check()
    assert not gc.isenabled()
