"""Each test gets an empty in-memory database (overriding the real ones of tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.fake_database import FakeDatabase


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()
