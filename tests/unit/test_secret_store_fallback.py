"""Where the password goes: the OS credential store when there is one, otherwise a plain-text
0600 file said to be plain text; files of earlier versions are moved without asking again."""

from __future__ import annotations

import base64
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail
from keyring.errors import KeyringLocked

from dairy_desktop.config import secret_store
from tests.support.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows uses DPAPI")

PASSWORD = "Tr0ub4dor&3"
NAME = "postgresql://ann@dairy-server:5433"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    saved: KeyringBackend = keyring.get_keyring()
    yield
    keyring.set_keyring(saved)


@pytest.fixture
def store() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_store() -> None:
    keyring.set_keyring(fail.Keyring())


def _file() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(secret_store.secrets_path().read_text("utf-8"))
    return loaded


def _write_legacy_file(secrets: dict[str, str]) -> None:
    key = b"dairy-desktop/not-encryption/see-docstring"
    encoded = {
        name: base64.b64encode(
            bytes(b ^ key[i % len(key)] for i, b in enumerate(value.encode()))
        ).decode()
        for name, value in secrets.items()
    }
    path = secret_store.secrets_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"scheme": "obfuscated", "secrets": encoded}), "utf-8")


def test_with_a_credential_store_the_password_goes_there(store: MemoryKeyring) -> None:
    secret_store.store_secret(NAME, PASSWORD)

    assert store.passwords == {(secret_store.KEYRING_SERVICE, NAME): PASSWORD}
    assert PASSWORD not in secret_store.secrets_path().read_text("utf-8")
    assert secret_store.load_secret(NAME) == PASSWORD
    assert secret_store.scheme() == "keyring"
    assert "password store" in secret_store.storage_description()


def test_forgetting_removes_it_from_the_credential_store(store: MemoryKeyring) -> None:
    secret_store.store_secret(NAME, PASSWORD)
    secret_store.forget_secret(NAME)

    assert store.passwords == {}
    assert secret_store.load_secret(NAME) is None


@pytest.mark.usefixtures("no_store")
def test_without_a_store_the_file_holds_it_in_plain_text_readable_by_its_owner_only() -> None:
    secret_store.store_secret(NAME, PASSWORD)

    assert _file() == {"scheme": "plain", "keyring": [], "secrets": {NAME: PASSWORD}}
    assert stat.S_IMODE(secret_store.secrets_path().stat().st_mode) == 0o600
    assert secret_store.load_secret(NAME) == PASSWORD


@pytest.mark.usefixtures("no_store")
def test_without_a_store_the_dialog_is_told_plainly_it_is_not_encrypted() -> None:
    assert secret_store.scheme() == "plain"
    description = secret_store.storage_description()
    assert "NOT encrypted" in description
    assert "plain text" in description


def test_a_chain_of_no_stores_is_no_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda _self: []))
    keyring.set_keyring(chainer.ChainerBackend())

    assert secret_store.scheme() == "plain"


def test_a_chain_with_a_real_store_in_it_is_a_store(monkeypatch: pytest.MonkeyPatch) -> None:
    inner = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", property(lambda _self: [inner]))
    keyring.set_keyring(chainer.ChainerBackend())

    assert secret_store.scheme() == "keyring"


def test_an_obfuscated_file_of_an_earlier_version_moves_into_the_store(
    store: MemoryKeyring,
) -> None:
    _write_legacy_file({NAME: PASSWORD})

    assert secret_store.load_secret(NAME) == PASSWORD
    assert store.passwords == {(secret_store.KEYRING_SERVICE, NAME): PASSWORD}
    assert _file() == {"scheme": "keyring", "keyring": [NAME], "secrets": {}}


@pytest.mark.usefixtures("no_store")
def test_an_obfuscated_file_without_a_store_becomes_the_plain_file() -> None:
    _write_legacy_file({NAME: PASSWORD})

    assert secret_store.load_secret(NAME) == PASSWORD
    assert _file()["secrets"] == {NAME: PASSWORD}
    assert stat.S_IMODE(secret_store.secrets_path().stat().st_mode) == 0o600


def test_plain_secrets_move_into_a_store_that_appeared_since(store: MemoryKeyring) -> None:
    keyring.set_keyring(fail.Keyring())
    secret_store.store_secret(NAME, PASSWORD)
    keyring.set_keyring(store)

    assert secret_store.load_secret(NAME) == PASSWORD
    assert PASSWORD not in secret_store.secrets_path().read_text("utf-8")
    assert store.passwords[(secret_store.KEYRING_SERVICE, NAME)] == PASSWORD


def test_a_failing_store_keeps_the_secret_in_the_file_rather_than_lose_it() -> None:
    class Locked(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise KeyringLocked("locked")

    keyring.set_keyring(Locked())
    secret_store.store_secret(NAME, PASSWORD)

    assert secret_store.load_secret(NAME) == PASSWORD
