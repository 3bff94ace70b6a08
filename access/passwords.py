"""Passwords are kept only as argon2id hashes (argon2-cffi's defaults)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_LENGTH = 8


class WeakPassword(ValueError):
    """A password the store refuses to keep."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少需要 {MIN_LENGTH} 个字符")
    return _HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash of nothing anyone can type: verifying against it when the name is unknown takes as long as a
# real check, so the time taken does not tell which names exist.
DUMMY_HASH = _HASHER.hash("\0 no such account \0")
