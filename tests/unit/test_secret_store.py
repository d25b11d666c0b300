"""The database password never lands in settings.json; the secret store gives it back."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from dairy_desktop.config import secret_store
from dairy_desktop.config.local_settings import (
    DATABASE_URL_ENV,
    ConnectionSettings,
    LocalConfig,
    config_path,
    forget_password,
    load_local_config,
    resolve_database_url,
    save_local_config,
    split_password,
)
from tests.support.memory_keyring import MemoryKeyring

PASSWORD = "s3cret:@/%?#ä"
URL_WITHOUT = "postgresql://ann@dairy-server:5433/dairy"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def credential_store() -> Iterator[MemoryKeyring]:
    """An OS credential store, in memory: never the real keychain of whoever runs the tests.
    (tests/unit/test_secret_store_fallback.py covers a PC without one.)"""
    saved: KeyringBackend = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(saved)


def _url_with_password() -> str:
    return ConnectionSettings(
        kind="postgresql",
        host="dairy-server",
        port="5433",
        database="dairy",
        user="ann",
        password=PASSWORD,
    ).url()


def test_a_secret_round_trips() -> None:
    secret_store.store_secret("key", PASSWORD)
    assert secret_store.load_secret("key") == PASSWORD


def test_an_unknown_secret_is_none() -> None:
    assert secret_store.load_secret("nobody") is None


def test_a_forgotten_secret_is_gone() -> None:
    secret_store.store_secret("key", PASSWORD)
    secret_store.forget_secret("key")
    assert secret_store.load_secret("key") is None


def test_the_secrets_file_does_not_hold_the_password_in_plain_text() -> None:
    secret_store.store_secret("key", "milkmaid-2025")
    assert "milkmaid" not in secret_store.secrets_path().read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_secrets_file_is_readable_by_its_owner_only() -> None:
    secret_store.store_secret("key", PASSWORD)
    mode = stat.S_IMODE(secret_store.secrets_path().stat().st_mode)
    assert mode == 0o600


def test_a_damaged_secrets_file_means_no_secret() -> None:
    secret_store.secrets_path().parent.mkdir(parents=True, exist_ok=True)
    secret_store.secrets_path().write_text("{not json", encoding="utf-8")
    assert secret_store.load_secret("key") is None


def test_a_password_with_special_characters_survives_the_url() -> None:
    assert split_password(_url_with_password()) == (URL_WITHOUT, PASSWORD)


def test_settings_json_never_contains_the_password() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password(), operator="ann"))
    text = config_path().read_text(encoding="utf-8")
    assert "s3cret" not in text


def test_settings_json_keeps_the_url_without_its_password() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password(), operator="ann"))
    assert load_local_config().database_url == URL_WITHOUT


def test_the_stored_password_is_merged_back_when_resolving() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    assert resolve_database_url() == _url_with_password()


def test_an_explicit_url_for_the_same_server_and_user_gets_the_password() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    other_database = "postgresql://ann@dairy-server:5433/dairy_test"
    assert split_password(resolve_database_url(other_database))[1] == PASSWORD


def test_another_user_does_not_get_the_password() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    assert resolve_database_url("postgresql://bob@dairy-server:5433/dairy").find("s3cret") == -1


def test_a_password_in_the_url_itself_wins() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    explicit = "postgresql://ann:other@dairy-server:5433/dairy"
    assert resolve_database_url(explicit) == explicit


def test_forgetting_the_password_leaves_the_url_bare() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    forget_password(URL_WITHOUT)
    assert resolve_database_url() == URL_WITHOUT


def test_saving_other_settings_keeps_the_stored_password() -> None:
    save_local_config(LocalConfig(database_url=_url_with_password()))
    config = load_local_config()
    config.extra["geometry"] = "abc"
    save_local_config(config)
    assert resolve_database_url() == _url_with_password()


def test_a_sqlite_url_is_left_alone() -> None:
    url = "sqlite:///C:/dairy/dairy.sqlite3"
    save_local_config(LocalConfig(database_url=url))
    assert json.loads(config_path().read_text(encoding="utf-8"))["database_url"] == url
