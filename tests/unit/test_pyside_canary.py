"""Canary for the PySide6 6.12.0 / CPython 3.11 reference leak on None/True/False.

That combination aborts the interpreter (`Fatal Python error: none_dealloc`) after about
5,300 calls of any void-returning Qt method. Run 20,000 such calls in a child process so
that an upgrade bringing the bug back fails CI instead of a plant office's app.
"""

import subprocess
import sys

CANARY = """
from PySide6.QtCore import QObject, Signal

class Emitter(QObject):
    changed = Signal()

emitter = Emitter()
for _ in range(20_000):
    emitter.setObjectName("x")
    emitter.changed.emit()
print("survived")
"""


def test_twenty_thousand_void_qt_calls_do_not_abort_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CANARY], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "survived"
