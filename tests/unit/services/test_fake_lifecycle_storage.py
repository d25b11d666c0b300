"""The in-memory database keeps the lifecycle's storage rules exactly as SQLite and
PostgreSQL do: the integration tests of those rules, run on it (the `database` fixture of
this folder is a FakeDatabase)."""

from tests.integration.test_lifecycle_storage import *  # noqa: F403
