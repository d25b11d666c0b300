"""The in-memory database keeps the reservations' storage rules exactly as SQLite and
PostgreSQL do: the integration tests of those rules, run on it (the `database` fixture of
this folder is a FakeDatabase)."""

from tests.integration.test_reservations_storage import *  # noqa: F403
