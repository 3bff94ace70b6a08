"""Resident ID numbers (GB 11643-1999): check digit, masking and keyed hashing."""

from __future__ import annotations

import hashlib
import hmac
import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"\d{17}[\dX]")


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(text: object) -> str:
    return re.sub(r"\s+", "", str(text or "")).upper()


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
    return hmac.new(secret, normalise(number).encode("ascii"), hashlib.sha256).hexdigest()
