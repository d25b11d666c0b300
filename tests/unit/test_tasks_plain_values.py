"""The task runner gives worker threads plain values only and calls back on the GUI thread."""

from __future__ import annotations

import functools
import gc
import re
import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.tasks import TaskRunner, check_plain_work

GUI_THREAD = threading.get_ident()


RELEASED_ON: list[int] = []


class Counted(QObject):
    """Records the thread its Python wrapper is released on."""

    def __del__(self) -> None:
        RELEASED_ON.append(threading.get_ident())


@pytest.fixture
def runner(qtbot: QtBot) -> Any:
    made = TaskRunner()
    yield made
    made.shutdown()
    made.wait_for_done(5_000)


def _keep(owner: QObject, _result: object) -> None:
    assert shiboken6.isValid(owner)


def _finished(qtbot: QtBot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)


def test_work_capturing_a_widget_is_refused_with_a_clear_message(qtbot: QtBot) -> None:
    label = QLabel("7 L")
    qtbot.addWidget(label)
    with pytest.raises(TypeError, match=r"closure variable 'label' holding a QLabel"):
        TaskRunner().run(lambda: label.text())


@pytest.mark.parametrize("synchronous", [True, False])
def test_a_bound_method_of_a_qt_object_is_refused_in_both_modes(
    qtbot: QtBot, synchronous: bool
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    with pytest.raises(TypeError, match="a method of a QWidget"):
        TaskRunner(synchronous=synchronous).run(widget.isVisible)


def test_qt_objects_in_partial_arguments_defaults_and_nested_closures_are_refused(
    qtbot: QtBot,
) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)

    def uses_default(w: QWidget = widget) -> bool:
        return w.isVisible()

    def inner() -> bool:
        return widget.isVisible()

    def outer() -> bool:
        return inner()

    refused = []
    for work in (functools.partial(print, widget), uses_default, outer):
        with pytest.raises(TypeError) as caught:
            check_plain_work(work)
        where = re.search(r"holds a Qt object \((.*)\); a worker", str(caught.value))
        refused.append(where.group(1) if where else str(caught.value))
    assert refused == [
        "partial argument holding a QWidget",
        "default argument holding a QWidget",
        "closure variable 'inner' → closure variable 'widget' holding a QWidget",
    ]


def test_plain_work_runs_on_a_worker_and_its_result_arrives_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    seen: dict[str, int] = {}
    code, liters = "SCH-20251204-0001", "12.500"

    def work() -> str:
        seen["work"] = threading.get_ident()
        return f"{code} {liters}"

    results: list[str] = []

    def done(value: str) -> None:
        seen["done"] = threading.get_ident()
        results.append(value)

    runner.run(work, done)
    assert runner.busy
    _finished(qtbot, runner)
    assert results == ["SCH-20251204-0001 12.500"]
    assert seen["work"] != GUI_THREAD
    assert seen["done"] == GUI_THREAD


def test_an_error_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    caught: list[tuple[str, int]] = []

    def fail() -> None:
        raise ValueError("no such batch")

    runner.run(fail, None, lambda e: caught.append((str(e), threading.get_ident())))
    _finished(qtbot, runner)
    assert caught == [("no such batch", GUI_THREAD)]


def test_a_qt_object_returned_by_work_is_refused_on_delivery(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    errors: list[BaseException] = []
    results: list[object] = []
    runner.run(QObject, results.append, errors.append)
    _finished(qtbot, runner)
    assert results == []
    assert "returned a Qt object (QObject)" in str(errors[0])


def test_busy_changes_once_each_way_for_overlapping_jobs(qtbot: QtBot, runner: TaskRunner) -> None:
    changes: list[bool] = []
    runner.busy_changed.connect(changes.append)
    gate = threading.Event()
    for _ in range(3):
        runner.run(gate.wait)
    gate.set()
    _finished(qtbot, runner)
    assert changes == [True, False]


def test_no_qt_wrapper_is_released_on_a_worker_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    """The callbacks (and the dialogs they capture) are dropped on the GUI thread only."""
    RELEASED_ON.clear()
    made = 0
    for round_ in range(30):
        owner = Counted()
        made += 1
        # The usual shape: callbacks that are bound methods of (or capture) a Qt object.
        runner.run(functools.partial(pow, round_, 2), functools.partial(_keep, owner), None)
        del owner
    _finished(qtbot, runner)
    runner.wait_for_done(5_000)
    gc.collect()
    assert len(RELEASED_ON) == made
    assert set(RELEASED_ON) == {GUI_THREAD}


def test_progress_reports_arrive_in_order_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    reports: list[tuple[int, int]] = []

    def export(report: Any) -> int:
        for rows in (100, 200, 250):
            report(rows)
        return 250

    done: list[int] = []
    runner.run_reporting(
        export, lambda rows: reports.append((rows, threading.get_ident())), done.append
    )
    _finished(qtbot, runner)
    assert reports == [(100, GUI_THREAD), (200, GUI_THREAD), (250, GUI_THREAD)]
    assert done == [250]


def test_after_shutdown_work_is_refused_and_late_results_are_dropped(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    gate = threading.Event()
    results: list[str] = []
    runner.run(lambda: gate.wait() and "late", results.append)
    runner.shutdown()
    runner.run(lambda: "after", results.append)
    assert not runner.busy
    gate.set()
    assert runner.wait_for_done(5_000)
    qtbot.wait(20)
    assert results == []


def test_synchronous_mode_runs_inline_and_raises_without_an_error_callback() -> None:
    runner = TaskRunner(synchronous=True)
    results: list[int] = []
    runner.run(lambda: 6 * 7, results.append)
    assert results == [42]
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0)


def test_a_failing_callback_does_not_strand_the_results_behind_it(qtbot: QtBot) -> None:
    runner = TaskRunner(max_threads=1)
    gate = threading.Event()
    results: list[int] = []

    def explode(_value: object) -> None:
        raise RuntimeError("callback bug")

    runner.run(gate.wait, explode)
    runner.run(lambda: 2, results.append)
    with qtbot.captureExceptions() as raised:
        gate.set()
        qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert results == [2]
    assert [str(e[1]) for e in raised] == ["callback bug"]
    runner.shutdown()
