"""The in-memory database records the QA state of register and qa events as SQLite and
PostgreSQL do: the integration tests of it, run on it (the `database` fixture of this folder
is a FakeDatabase)."""

from tests.integration.test_qa_state_recorded import *  # noqa: F403
