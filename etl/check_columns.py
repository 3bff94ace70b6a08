"""Column work for validate.py: parse an Arrow column once per distinct value, and
check ID numbers for a whole column at once.

A column of a million cells holds a few dozen distinct dates, regions or kinds:
each distinct value is parsed by the same Python function the rest of the
loader uses, and the answers are spread back over the rows with Arrow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.idcard import CHECK_CHARS, WEIGHTS, normalise


@dataclass
class Parsed:
    values: pa.Array  # typed; null where blank or bad
    messages: dict[int, str]  # row → reason, for the bad rows only


def trimmed(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The cells without leading and trailing whitespace (a blank cell is already null: etl/grid.py)."""
    return pc.utf8_trim_whitespace(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)


def parse_distinct(column: pa.ChunkedArray | pa.Array, parse: Callable[[str], object], arrow_type: pa.DataType,
                   required_message: str | None) -> Parsed:
    """Parse each distinct value once, trimmed; `parse` raises ValueError with the reason. A blank
    (null) cell is None, and the `required_message` if given."""
    whole = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = whole.dictionary_encode()
    results, errors = [], {}
    for i, text in enumerate(trimmed(encoded.dictionary).to_pylist()):  # the distinct values, not the column
        try:
            results.append(parse(text))
        except ValueError as e:
            results.append(None)
            errors[i] = str(e)
    indices = encoded.indices
    if not errors and whole.type == arrow_type and results == encoded.dictionary.to_pylist():
        values = whole  # every value reads as itself (free text, already trimmed): no copy spread over the rows
    else:
        values = pc.take(pa.array(results, arrow_type), indices)
    messages: dict[int, str] = {}
    if errors:
        rows = np.flatnonzero(_flags(pc.is_in(indices, pa.array(list(errors), indices.type))))
        codes = indices.to_numpy(zero_copy_only=False)
        for row in rows:
            messages[int(row)] = errors[int(codes[row])]
    if required_message is not None:
        for row in np.flatnonzero(_flags(indices.is_null())):
            messages[int(row)] = required_message
    return Parsed(values, messages)


def _flags(values: pa.Array) -> np.ndarray:
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def id_numbers(column: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(normalised numbers, 18 characters long, well-formed with the right check digit) for a column
    of ID numbers. Spaces anywhere are dropped and a lower-case x read as X, as domain.idcard does;
    the whole column is checked in numpy, and only the few numbers that fail are looked at again."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    right = _check_digits(column)
    again = np.flatnonzero(~right & column.is_valid().to_numpy(zero_copy_only=False))
    normalised = column
    if len(again):
        fixed = [normalise(v) or None for v in column.take(pa.array(again)).to_pylist()]  # "  " is blank
        normalised = pc.replace_with_mask(column, _mask(len(column), again), pa.array(fixed, pa.string()))
        right[again] = _check_digits(pa.array(fixed, pa.string()))
    lengths = pc.fill_null(pc.utf8_length(normalised), 0).to_numpy(zero_copy_only=False)
    return normalised, lengths == 18, right


def _mask(n: int, rows: np.ndarray) -> pa.Array:
    flags = np.zeros(n, dtype=bool)
    flags[rows] = True
    return pa.array(flags)


def _check_digits(column: pa.Array) -> np.ndarray:
    """True where the value is 17 digits and the right GB 11643 check character (0-9 or X)."""
    lengths = pc.fill_null(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
    right = np.zeros(len(column), dtype=bool)
    rows = np.flatnonzero(lengths == 18)
    if not len(rows):
        return right
    texts = column.take(pa.array(rows)) if len(rows) < len(column) else column
    start = np.frombuffer(texts.buffers()[1], dtype=np.int32)[texts.offset]
    # every selected value has 18 bytes, back to back in the data buffer
    digits = np.frombuffer(texts.buffers()[2], dtype=np.uint8)[start:start + 18 * len(rows)].reshape(-1, 18)
    body = digits[:, :17] - np.uint8(ord("0"))  # wraps below "0": anything not a digit ends up above 9
    last = digits[:, 17]
    formed = (body <= 9).all(axis=1) & (((last >= ord("0")) & (last <= ord("9"))) | (last == ord("X")))
    sums = (body.astype(np.uint16) * np.array(WEIGHTS, dtype=np.uint16)).sum(axis=1, dtype=np.uint32)
    expected = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)[sums % 11]
    right[rows] = formed & (expected == last)
    return right
