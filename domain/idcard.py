"""Resident ID numbers (GB 11643-1999): check digit, masking and keyed hashing."""

from __future__ import annotations

import hashlib
import hmac
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# ASCII only: Python's \d would also take Arabic-Indic and other scripts' digits, which no ID
# number holds (and the loader's column check, byte by byte, does not)
_PATTERN = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS17 = re.compile(r"[0-9]{17}")
# full-width digits and X, as a Chinese input method types them, are the same characters
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if not _DIGITS17.fullmatch(first17):
        raise ValueError(f"check_digit needs 17 digits 0-9, got {len(first17)} characters")
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(text: object) -> str:
    """Whitespace of any kind removed, full-width digits and X made half-width, x made X."""
    return re.sub(r"\s+", "", str(text or "")).translate(_FULLWIDTH).upper()


def is_valid(number: str) -> bool:
    """True if `number` has 18 characters and a correct check digit."""
    number = normalise(number)
    return bool(_PATTERN.fullmatch(number)) and check_digit(number[:17]) == number[17]


def mask(number: object) -> str:
    """Show only the first six and last four characters: 410102********123X."""
    text = normalise(number)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def keyed_hash(number: str, secret: bytes) -> str:
    """HMAC-SHA256 of the normalised number: finds one person in two regions,
    and cannot be reversed without the secret."""
    return hmac.new(secret, normalise(number).encode("utf-8"), hashlib.sha256).hexdigest()
