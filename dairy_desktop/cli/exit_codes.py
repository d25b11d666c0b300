"""The exit codes scripts rely on: a contract, never renumbered.

MEANINGS below says what each one means; `--help` prints that table, so the help and the
codes cannot drift apart.

Codes 2-7 travel on the refusal itself (`DairyError.exit_code` in domain/errors.py); the
constants here name them for the command line, and a test keeps the two in step.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_UNEXPECTED = 1
# The command ran but its job did not succeed; shares 1 with the unexpected on purpose:
# either way a script can only report it and stop.
EXIT_FAILED = 1
EXIT_INVALID = 2
EXIT_VERSION_CONFLICT = 3
EXIT_NOT_FOUND = 4
EXIT_RULE_REFUSED = 5
EXIT_DATABASE = 6
EXIT_OUTCOME_UNKNOWN = 7
EXIT_AUDIT_MISMATCH = 8
# The shell's convention for "killed by SIGINT" (128 + 2).
EXIT_INTERRUPTED = 130

# One line per code, in order: what a script may conclude from it.
MEANINGS: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done"),
    (
        EXIT_FAILED,
        "failed (the printer or disk refused a print job, a simulation check or self-check "
        "step failed) or anything unexpected (see the log file)",
    ),
    (EXIT_INVALID, "invalid input; nothing was changed"),
    (
        EXIT_VERSION_CONFLICT,
        "version conflict: the batch changed since it was read (an order's plan no longer "
        "holds; the new proposal is given)",
    ),
    (
        EXIT_NOT_FOUND,
        "not found (no batch with that code, no reservation or use for that order)",
    ),
    (
        EXIT_RULE_REFUSED,
        "refused by a rule (expired, deleted, not enough left, reserved for another order, "
        "code already taken, awaiting QA release, on hold, rejected by QA, recalled, "
        "already reversed)",
    ),
    (EXIT_DATABASE, "database unavailable or schema too new; nothing was recorded"),
    (
        EXIT_OUTCOME_UNKNOWN,
        "outcome unknown: a change was sent, the connection dropped and it could not be "
        "confirmed either way; look its request id up with `audit --request-id ID`",
    ),
    (EXIT_AUDIT_MISMATCH, "`audit verify` found a mismatch"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl+C)"),
)
