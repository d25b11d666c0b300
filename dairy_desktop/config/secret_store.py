"""Secrets (database passwords) kept apart from settings.json, in the user's config folder.

- **Windows**: each secret is encrypted with DPAPI (``CryptProtectData``, current-user scope),
  so only the same Windows account on the same PC can read it back.
- **Elsewhere**: secrets sit in a separate file created with mode 0600 (owner read/write only)
  and are *obfuscated* (XOR with a fixed key, then base64). Obfuscation is **not encryption**:
  anyone who can read the file and this source can recover the password. It only keeps the
  password out of plain sight (a glance, a screenshot, a grep). The protection is the file mode.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from dairy_desktop.config import paths

SECRETS_FILE = "secrets.json"
_OBFUSCATION_KEY = b"dairy-desktop/not-encryption/see-docstring"
_DPAPI_ENTROPY = b"DairyDesktop database password"


def secrets_path() -> Path:
    return paths.config_dir() / SECRETS_FILE


def scheme() -> str:
    """How secrets are protected on this PC: 'dpapi' or 'obfuscated'."""
    return "dpapi" if sys.platform == "win32" else "obfuscated"


def store_secret(name: str, value: str) -> None:
    secrets = _read_all()
    secrets[name] = _protect(value.encode("utf-8"))
    _write_all(secrets)


def load_secret(name: str) -> str | None:
    """The secret, or None when none is stored or it cannot be read back (other user, damage)."""
    encoded = _read_all().get(name)
    if encoded is None:
        return None
    try:
        return _unprotect(encoded).decode("utf-8")
    except (OSError, ValueError):
        return None


def forget_secret(name: str) -> None:
    secrets = _read_all()
    if secrets.pop(name, None) is not None:
        _write_all(secrets)


def _read_all() -> dict[str, str]:
    try:
        raw = json.loads(secrets_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # Missing or damaged: behave as if nothing is stored; the user is asked again.
        return {}
    if not isinstance(raw, dict) or raw.get("scheme") != scheme():
        return {}
    secrets = raw.get("secrets", {})
    return {str(k): str(v) for k, v in secrets.items()} if isinstance(secrets, dict) else {}


def _write_all(secrets: dict[str, str]) -> None:
    path = secrets_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"scheme": scheme(), "secrets": secrets}, indent=2)
    # mkstemp creates the file 0600 from the start, so the secret is never briefly world-readable.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secrets-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _protect(data: bytes) -> str:
    protected = _dpapi(data, encrypt=True) if scheme() == "dpapi" else _xor(data)
    return base64.b64encode(protected).decode("ascii")


def _unprotect(encoded: str) -> bytes:
    data = base64.b64decode(encoded.encode("ascii"), validate=True)
    return _dpapi(data, encrypt=False) if scheme() == "dpapi" else _xor(data)


def _xor(data: bytes) -> bytes:
    key = _OBFUSCATION_KEY
    return bytes(byte ^ key[i % len(key)] for i, byte in enumerate(data))


def _dpapi(data: bytes, *, encrypt: bool) -> bytes:
    """CryptProtectData / CryptUnprotectData through ctypes (no pywin32 in the package)."""
    if sys.platform != "win32":  # also tells mypy the rest is Windows-only
        raise OSError("DPAPI exists only on Windows")
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
