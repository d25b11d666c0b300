"""The exit codes scripts rely on: a contract, never renumbered.

0 done; 1 failed (a print job the printer or disk refused, a failed simulation check or
self-check step) or anything unexpected; 2 invalid input; 3 version conflict; 4 not found;
5 refused by a rule; 6 database unavailable or schema too new (nothing was recorded);
7 outcome unknown (a change was sent, the connection dropped, and it could not be confirmed
either way: look its request id up in the audit); 8 `audit verify` found a mismatch;
130 interrupted (Ctrl+C).

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
