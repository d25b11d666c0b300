"""Secrets (database passwords) kept apart from settings.json.

- **Windows**: each secret is encrypted with DPAPI (``CryptProtectData``, current-user scope)
  and kept in ``secrets.json`` in the user's config folder, so only the same Windows account on
  the same PC can read it back.
- **Elsewhere, with an OS credential store** (macOS Keychain, the Secret Service of GNOME or
  KDE, …, reached through the ``keyring`` library): the secret goes into that store;
  ``secrets.json`` only lists the names stored there.
- **Elsewhere, without one** (a server without a desktop session, a container): the secret is
  written to ``secrets.json`` **in plain text**, in a file created with mode 0600 (readable and
  writable by its owner only). It is not encrypted: anyone who can read the file as this user,
  or as an administrator, can read the password. The settings dialog says so
  (`storage_description`).

Files written by earlier versions (XOR-"obfuscated", which protected nothing) are moved to the
current way of storing on first use, without asking the user again.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dairy_desktop.config import paths

SECRETS_FILE = "secrets.json"
KEYRING_SERVICE = "Dairy Desktop"
_DPAPI_ENTROPY = b"DairyDesktop database password"
# Earlier versions' file format: base64 of the secret XORed with this key.
_LEGACY_OBFUSCATION_KEY = b"dairy-desktop/not-encryption/see-docstring"
# keyring backends that store nothing, or nothing safely.
_NOT_A_STORE = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt.file")


def secrets_path() -> Path:
    return paths.config_dir() / SECRETS_FILE


def _keyring() -> Any | None:
    """The keyring module when it reaches a real OS credential store; otherwise None."""
    if sys.platform == "win32":
        return None
    try:
        # Imported here: keyring and its backend discovery cost ~0.3 s, paid only when a
        # secret is actually stored or read, never by a start that needs none.
        import keyring
        from keyring.backends import chainer
    except ImportError:
        return None

    def real(backend: Any) -> bool:
        if isinstance(backend, chainer.ChainerBackend):
            return any(real(inner) for inner in backend.backends)
        return not type(backend).__module__.startswith(_NOT_A_STORE)

    try:
        return keyring if real(keyring.get_keyring()) else None
    except Exception:  # a broken backend configuration: no store
        return None


def scheme() -> str:
    """How secrets are kept on this PC: 'dpapi', 'keyring' or 'plain' (the 0600 file)."""
    if sys.platform == "win32":
        return "dpapi"
    return "keyring" if _keyring() is not None else "plain"


def storage_description() -> str:
    """One sentence for the settings dialog: where the password goes, and how safe that is."""
    kind = scheme()
    if kind == "dpapi":
        return "Saved encrypted for your Windows account, not in the settings file."
    if kind == "keyring":
        return "Saved in this computer's password store (keychain), not in the settings file."
    return (
        "Saved NOT encrypted, in plain text in a file only your user account can read "
        f"({secrets_path()}); this computer has no password store."
    )


@dataclass
class _Stored:
    """What secrets.json holds: DPAPI blobs (Windows), names kept in the OS store, or
    plain-text values (no store)."""

    dpapi: dict[str, str] = field(default_factory=dict)
    in_keyring: set[str] = field(default_factory=set)
    plain: dict[str, str] = field(default_factory=dict)


def store_secret(name: str, value: str) -> None:
    stored = _load()
    _put(stored, name, value)
    _write(stored)


def load_secret(name: str) -> str | None:
    """The secret, or None when none is stored or it cannot be read back (other user, damage,
    a locked or vanished credential store)."""
    stored = _load()
    if name in stored.dpapi:
        try:
            data = base64.b64decode(stored.dpapi[name].encode("ascii"), validate=True)
            return _dpapi(data, encrypt=False).decode("utf-8")
        except (OSError, ValueError):
            return None
    if name in stored.in_keyring:
        keyring = _keyring()
        try:
            return None if keyring is None else keyring.get_password(KEYRING_SERVICE, name)
        except Exception:  # keyring.errors.KeyringError and the D-Bus errors under it
            return None
    return stored.plain.get(name)


def forget_secret(name: str) -> None:
    stored = _load()
    if name in stored.in_keyring:
        keyring = _keyring()
        if keyring is not None:
            with contextlib.suppress(Exception):  # already gone, or the store is locked
                keyring.delete_password(KEYRING_SERVICE, name)
        stored.in_keyring.discard(name)
    elif stored.dpapi.pop(name, None) is None and stored.plain.pop(name, None) is None:
        return
    _write(stored)


def _put(stored: _Stored, name: str, value: str) -> None:
    stored.dpapi.pop(name, None)
    stored.plain.pop(name, None)
    stored.in_keyring.discard(name)
    kind = scheme()
    if kind == "dpapi":
        protected = _dpapi(value.encode("utf-8"), encrypt=True)
        stored.dpapi[name] = base64.b64encode(protected).decode("ascii")
        return
    keyring = _keyring() if kind == "keyring" else None
    if keyring is not None:
        try:
            keyring.set_password(KEYRING_SERVICE, name, value)
            stored.in_keyring.add(name)
            return
        except Exception:  # a locked or failing store: keep the secret rather than lose it
            pass
    stored.plain[name] = value


def _read_file() -> dict[str, Any]:
    try:
        raw = json.loads(secrets_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # Missing or damaged: behave as if nothing is stored; the user is asked again.
        return {}
    return raw if isinstance(raw, dict) else {}


def _strings(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _load() -> _Stored:
    raw = _read_file()
    kind = raw.get("scheme")
    if kind == "dpapi":
        return _Stored(dpapi=_strings(raw.get("secrets")))
    if kind in ("keyring", "plain"):
        names = raw.get("keyring", [])
        in_keyring = {str(n) for n in names} if isinstance(names, list) else set()
        stored = _Stored(in_keyring=in_keyring, plain=_strings(raw.get("secrets")))
        if stored.plain and scheme() == "keyring":
            return _moved(dict(stored.plain), stored)  # a store has appeared since they were saved
        return stored
    if kind == "obfuscated" and sys.platform != "win32":
        return _moved(_legacy_values(_strings(raw.get("secrets"))), _Stored())
    return _Stored()


def _moved(values: dict[str, str], stored: _Stored) -> _Stored:
    """`values` stored the current way, and the file rewritten without them in plain sight."""
    for name, value in values.items():
        _put(stored, name, value)
    with contextlib.suppress(OSError):  # a read-only folder: moved again next time
        _write(stored)
    return stored


def _legacy_values(secrets: dict[str, str]) -> dict[str, str]:
    values = {}
    for name, encoded in secrets.items():
        try:
            data = base64.b64decode(encoded.encode("ascii"), validate=True)
        except ValueError:
            continue
        key = _LEGACY_OBFUSCATION_KEY
        clear = bytes(byte ^ key[i % len(key)] for i, byte in enumerate(data))
        with contextlib.suppress(UnicodeDecodeError):
            values[name] = clear.decode("utf-8")
    return values


def _write(stored: _Stored) -> None:
    if sys.platform == "win32":
        content: dict[str, Any] = {"scheme": "dpapi", "secrets": stored.dpapi}
    else:
        content = {
            "scheme": scheme(),
            "keyring": sorted(stored.in_keyring),
            # Plain text, on purpose and said so: see the module docstring.
            "secrets": stored.plain,
        }
    path = secrets_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 from the start, so the secret is never briefly world-readable.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secrets-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(content, indent=2))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _dpapi(data: bytes, *, encrypt: bool) -> bytes:
    """CryptProtectData / CryptUnprotectData through ctypes (no pywin32 in the package)."""
    if sys.platform != "win32":  # also tells mypy the rest is Windows-only
        raise OSError("DPAPI exists only on Windows")
    # Imported here: ctypes (~4 ms at start-up) is needed only on Windows, and only when a
    # secret is read or written.
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    def blob(raw: bytes) -> tuple[Blob, ctypes.Array[ctypes.c_char]]:
        buffer = ctypes.create_string_buffer(raw, len(raw))
        return Blob(len(raw), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer

    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    ui_forbidden = 0x1  # CRYPTPROTECT_UI_FORBIDDEN: never pop a dialog from a background task
    source, _keep_source = blob(data)
    entropy, _keep_entropy = blob(_DPAPI_ENTROPY)
    result = Blob()
    call: Callable[..., int] = crypt32.CryptProtectData if encrypt else crypt32.CryptUnprotectData
    ok = call(
        ctypes.byref(source),
        None,
        ctypes.byref(entropy),
        None,
        None,
        ui_forbidden,
        ctypes.byref(result),
    )
    if not ok:
        raise OSError(ctypes.get_last_error(), "Windows could not protect/unprotect the secret")
    try:
        return ctypes.string_at(result.pbData, result.cbData)
    finally:
        kernel32.LocalFree(result.pbData)
