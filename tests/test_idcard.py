"""Resident ID numbers (GB 11643-1999): check digit, masking, keyed hash (CONTRACT §3)."""

from __future__ import annotations

import pytest

from domain.idcard import check_digit, is_valid, keyed_hash, mask, normalise

# The published GB 11643 sample. By hand, digits × weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2:
# 1·7 + 1·9 + 0 + 1·5 + 0 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0 + 0 + 2·2
# = 7+9+5+20+2+9+24+27+7+18+30+5+4 = 167; 167 mod 11 = 2 → "10X98765432"[2] = "X".
SAMPLE = "11010519491231002X"

# A Henan (郑州市中原区 410102) number worked the same way:
# 4·7 + 1·9 + 0 + 1·5 + 0 + 2·4 + 1·2 + 9·1 + 9·6 + 0 + 0 + 1·9 + 0 + 1·5 + 1·8 + 2·4 + 3·2
# = 28+9+5+8+2+9+54+9+5+8+8+6 = 151; 151 mod 11 = 8 → "4".
HENAN = "410102199001011234"

SECRET = b"test-secret-1"


def test_check_digit_of_the_published_sample():
    assert check_digit(SAMPLE[:17]) == "X"


def test_check_digit_of_a_henan_number():
    assert check_digit(HENAN[:17]) == "4"


@pytest.mark.parametrize("first17, expected", [
    # From HENAN's sum 151: the 17th digit 3 → 4 (weight 2) gives 153, mod 11 = 10 → "2".
    ("41010219900101124", "2"),
    # And the 13th digit 0 → 1 (weight 10, birth day 01 → 11) on top: 163, mod 11 = 9 → "3".
    ("41010219900111124", "3"),
])
def test_check_digit_remainders_nine_and_ten(first17, expected):
    assert check_digit(first17) == expected
    assert is_valid(first17 + expected)


def test_check_digit_needs_17_digits():
    with pytest.raises(ValueError):
        check_digit("1234")


@pytest.mark.parametrize("number", [
    SAMPLE, HENAN,
    "11010519491231002x",          # lower-case x
    " 110105 19491231 002X ",       # spaces
])
def test_valid_numbers(number):
    assert is_valid(number) is True


@pytest.mark.parametrize("number", [
    "110105194912310021",           # wrong check digit (should be X)
    "410102199001011235",           # wrong check digit (should be 4)
    "41010219900101123X",           # X where 4 belongs
    "11010519491231002",            # 17 characters
    "11010519491231002X0",          # 19 characters
    "410102900101123",              # old 15-digit number: not accepted
    "1101051949123100AX",           # a letter inside
    "",
    "X10105194912310021",           # X not at the end
])
def test_invalid_numbers(number):
    assert is_valid(number) is False


def test_normalise():
    assert normalise(" 11010519491231002x\n") == SAMPLE
    assert normalise(None) == ""


def test_mask_shows_six_and_four():
    assert mask("41010219900101123X") == "410102********123X"
    assert mask(HENAN) == "410102********1234"
    assert mask(SAMPLE) == "110105********002X"
    # Normalised first: lower-case x and spaces.
    assert mask(" 11010519491231002x ") == "110105********002X"


def test_mask_never_shows_the_birth_date():
    masked = mask(HENAN)
    assert "19900101" not in masked
    assert len(masked) == 18
    assert masked.count("*") == 8


def test_mask_short_and_odd_input_reveals_nothing():
    assert mask("1234567890") == "**********"
    assert mask("") == ""
    assert mask(None) == ""
    # Wrong length still keeps only 6 + 4 visible.
    assert mask("4101021990010112") == "410102******0112"


def test_keyed_hash_is_stable_and_normalised():
    h = keyed_hash(SAMPLE, SECRET)
    assert h == keyed_hash(SAMPLE, SECRET)
    assert h == keyed_hash("11010519491231002x", SECRET)
    assert h == keyed_hash(" 110105 19491231002X", SECRET)
    assert len(h) == 64
    assert all(c in "0123456789abcdef" for c in h)


def test_keyed_hash_depends_on_secret_and_number():
    assert keyed_hash(SAMPLE, SECRET) != keyed_hash(SAMPLE, b"another-secret")
    assert keyed_hash(SAMPLE, SECRET) != keyed_hash(HENAN, SECRET)


def test_keyed_hash_hides_the_number():
    h = keyed_hash(HENAN, SECRET)
    assert HENAN not in h
    assert "19900101" not in h


def test_full_width_digits_are_the_digits_they_show():
    full_width = "４１０１０２１９９００１０１１２３４"  # HENAN as a Chinese input method types it
    assert normalise(full_width) == HENAN
    assert is_valid(full_width) and is_valid("11010519491231002ｘ") and is_valid("11010519491231002Ｘ")
    assert keyed_hash(full_width, SECRET) == keyed_hash(HENAN, SECRET)  # one person, however typed
    assert mask(full_width) == "410102********1234"


@pytest.mark.parametrize("number", [
    "٤١٠١٠٢١٩٩٠٠١٠١١٢٣٤",   # HENAN in Arabic-Indic digits
    "٤10102199001011234",    # one of them is enough
    "41010219900101123٤",
])
def test_other_scripts_digits_are_not_an_id_number(number):
    assert is_valid(number) is False
    assert len(keyed_hash(number, SECRET)) == 64  # hashed like anything else, never an exception


def test_check_digit_takes_only_ascii_digits():
    with pytest.raises(ValueError):
        check_digit("٤١٠١٠٢١٩٩٠٠١٠١١٢٣")
