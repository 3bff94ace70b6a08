"""A sheet as columns: every line of a sheet held as Arrow string columns (None for a
blank cell) with the line number a coordinator sees, so that checking a million
rows is column work, not a Python loop per cell.

Every reader hands its cells over here, and two things are decided here only: which
cell is blank (`blank_to_null`) and how a merged range reads (`fill_merged`).

Small sheets come from Python rows (calamine's cells, or the csv module); a
large CSV is parsed by Arrow's multi-threaded reader, with its first lines (the
title rows and the header) parsed exactly by the csv module. Any irregularity
in a large CSV (a blank line, a line with more cells than the header) sends it
back to the exact path, so the fast path only ever gives the same answer sooner.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

if TYPE_CHECKING:
    from etl.limits import Limits

HEAD_RECORDS = 40  # title rows and the header are within these
FAST_CSV_BYTES = 4 << 20  # CSV larger than this goes through Arrow's reader

Merged = tuple[int, int, int, int]  # a merged range: (top, left, bottom, right), 0-based from A1, inclusive


@dataclass
class Grid:
    """Columns c0..cN of one sheet, line 1 first; `line` is the row number people see."""

    table: pa.Table  # columns "line" (int32) and "c0".."cN" (string)

    @property
    def width(self) -> int:
        return self.table.num_columns - 1

    def __len__(self) -> int:
        return self.table.num_rows

    def column(self, position: int) -> pa.ChunkedArray:
        return self.table.column(f"c{position}")

    def filled_width(self) -> int:
        """Columns up to the last one with a filled cell (a CSV's trailing commas make none)."""
        for position in range(self.width - 1, -1, -1):
            if self.column(position).null_count < len(self):
                return position + 1
        return 0

    def first_filled_line(self, position: int) -> int:
        """The line of the first filled cell in a column that has one."""
        valid = self.column(position).is_valid()
        return self.table.column("line")[pc.index(valid, True).as_py()].as_py()

    def first_longer_than(self, chars: int) -> tuple[int, int, int] | None:
        """(line, column from 1, characters) of the first cell, column by column, longer than chars."""
        for position in range(self.width):
            if (pc.max(pc.binary_length(self.column(position))).as_py() or 0) <= chars:
                continue  # no cell has more bytes, so none has more characters (told from the offsets alone)
            lengths = pc.utf8_length(self.column(position))
            longest = pc.max(lengths).as_py()
            if longest is not None and longest > chars:
                at = pc.index(pc.greater(lengths, chars), True).as_py()
                return self.table.column("line")[at].as_py(), position + 1, lengths[at].as_py()
        return None

    def rows_at(self, indices: list[int]) -> list[list[str | None]]:
        """The lines at these 0-based positions, as Python lists."""
        part = self.table.take(pa.array(indices, pa.int64()))
        return Grid(part).rows()

    def rows(self, start: int = 0, stop: int | None = None) -> list[list[str | None]]:
        """Lines start..stop as Python lists (for the few lines read one by one)."""
        part = self.table.slice(start, (stop if stop is not None else len(self)) - start)
        columns = [part.column(f"c{i}").to_pylist() for i in range(self.width)]
        return [list(cells) for cells in zip(*columns, strict=True)] if columns else [[] for _ in range(len(part))]


def blank_to_null(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text cells with a cell a person sees as empty — nothing, or only spaces and line breaks — as
    None. The one rule for blank cells: everything after the grid only asks whether a cell is null."""
    values = values if values.type == pa.string() else values.cast(pa.string())
    blank = pc.or_(pc.equal(values, ""), pc.utf8_is_space(values))
    return pc.if_else(blank, pa.scalar(None, pa.string()), values) if pc.any(blank).as_py() else values


def fill_merged(grid: Grid, ranges: Iterable[Merged]) -> Grid:
    """Every cell of a merged range reads as its top-left cell, as a person sees it: a region
    merged down over its rows belongs to each of them. Ranges reaching past the sheet are cut."""
    height, width = len(grid), grid.width
    fills: dict[int, dict[int, str | None]] = {}  # column → row → text
    for top, left, bottom, right in ranges:
        if top >= height or left >= width:
            continue
        value = grid.column(left)[top].as_py()
        for c in range(left, min(right, width - 1) + 1):
            fills.setdefault(c, {}).update(dict.fromkeys(range(top, min(bottom, height - 1) + 1), value))
    table = grid.table
    for c, cells in fills.items():
        rows = sorted(cells)  # replace_with_mask takes the new values in row order
        mask = np.zeros(height, dtype=bool)
        mask[rows] = True
        values = pa.array([cells[r] for r in rows], pa.string())
        column = pc.replace_with_mask(grid.column(c).combine_chunks(), pa.array(mask), values)
        table = table.set_column(table.schema.get_field_index(f"c{c}"), f"c{c}", column)
    return Grid(table)


def flags(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow column as numpy (nulls as False)."""
    values = pc.fill_null(values, False)
    return values.to_numpy() if isinstance(values, pa.ChunkedArray) else values.to_numpy(zero_copy_only=False)


def from_rows(rows: list[list]) -> Grid:
    """A grid from Python rows of cell values (str, float, date, ...), as calamine gives them."""
    cells = np.array(rows, dtype=object) if rows else np.empty((0, 0), dtype=object)
    if cells.ndim != 2:  # rows of different lengths: pad them
        width = max((len(r) for r in rows), default=0)
        cells = np.empty((len(rows), width), dtype=object)
        cells[:] = [list(r) + [None] * (width - len(r)) for r in rows]
    width = cells.shape[1]
    if width == 0:
        return Grid(pa.table({"line": pa.array(np.arange(1, len(rows) + 1, dtype=np.int32))}))
    arrays = {"line": pa.array(np.arange(1, len(rows) + 1, dtype=np.int32))}
    for i in range(width):
        arrays[f"c{i}"] = _text_column(cells[:, i])
    return Grid(pa.table(arrays))


def _text_column(values: np.ndarray) -> pa.Array:
    """Cells as the text a person reads in them; blank → None. A column of text goes to Arrow
    as it is; any other column converts each distinct value once."""
    try:
        text = pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        texts = {v: cell_text(v) for v in set(values.tolist())}
        text = pa.array([texts[v] for v in values.tolist()], pa.string())
    return blank_to_null(text)


def cell_text(value: object) -> str | None:
    """A cell as the text a person reads in it: 12.0 → "12", a date → 2020-06-08 (blank text is
    left to blank_to_null)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class CsvProblem(Exception):
    """A CSV that cannot be read on: what (`kind`: "syntax" with the csv module's own words in
    `detail`, or "rows", "columns", "record" over a limit, with the count) and from which line."""

    def __init__(self, kind: str, line: int, detail: str | int = "", last_line: int | None = None):
        super().__init__(kind, line, detail)
        self.kind, self.line, self.detail = kind, line, detail
        self.last_line = last_line if last_line is not None else line


def from_csv_text(text: str, limits: Limits | None = None, check: Callable[[], None] | None = None) -> Grid:
    """A CSV's records as a grid; records, not physical lines, are what Excel shows as rows.
    With limits, reading stops with CsvProblem at the first record over them (see `records`)."""
    if len(text) > FAST_CSV_BYTES:
        fast = from_csv_bytes(text.encode("utf-8"), limits)
        if fast is not None:
            return fast
    return from_rows(records(text, limits, check))


def records(text: str, limits: Limits | None = None, check: Callable[[], None] | None = None) -> list[list[str]]:
    """The csv module's records (strict), or CsvProblem naming the line where reading stopped:
    bad quoting, more records than max_rows, a record of more than max_columns cells, or one
    longer than a record within the limits can be (so that no such record is ever built)."""
    max_rows, max_columns = (limits.max_rows, limits.max_columns) if limits else (None, None)
    longest = limits.max_columns * (2 * limits.max_cell_chars + 3) + 2 if limits else None  # all quoted, "" doubled
    state = {"start": 1, "chars": 0}

    def lines() -> Iterator[str]:
        at = 0
        while at < len(text):
            end = text.find("\n", at)
            end = len(text) if end < 0 else end + 1
            state["chars"] += end - at
            if longest is not None and state["chars"] > longest:
                raise CsvProblem("record", state["start"], longest)
            yield text[at:end]
            at = end

    reader = csv.reader(lines(), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if max_rows is not None and len(rows) >= max_rows:
                raise CsvProblem("rows", state["start"], max_rows + 1)
            if max_columns is not None and len(row) > max_columns:
                width = len(row)
                while width and not row[width - 1].strip():  # trailing empty cells: a CSV's trailing commas
                    width -= 1
                if width > max_columns:
                    raise CsvProblem("columns", state["start"], width)
            rows.append(row)
            state["start"], state["chars"] = reader.line_num + 1, 0
            if check is not None and len(rows) % 100_000 == 0:
                check()
    except csv.Error as e:
        raise CsvProblem("syntax", state["start"], str(e), reader.line_num) from None
    return rows


def from_csv_bytes(data: bytes, limits: Limits | None = None) -> Grid | None:
    """A large UTF-8 CSV through Arrow's reader, or None when it is not regular enough for it
    (then the caller takes the exact path). The first records are parsed by the csv module,
    which knows where the header ends; Arrow reads the rest straight from the bytes. A head
    wider than limits allow is left to the exact path, which names the line."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    cut = data.rfind(b"\n", start, start + (1 << 18))
    if cut < 0:
        return None
    try:
        raw_lines = data[start:cut + 1].splitlines(keepends=True)
        reader = csv.reader(iter([line.decode("utf-8") for line in raw_lines]), strict=True)
        head = [row for _, row in zip(range(HEAD_RECORDS), reader, strict=False)]
    except (UnicodeDecodeError, csv.Error):
        return None
    width = max((len(r) for r in head), default=0)
    if len(head) < HEAD_RECORDS or width == 0 or (limits is not None and width > limits.max_columns):
        return None
    offset = start + sum(len(line) for line in raw_lines[:reader.line_num])
    end, tail = _tail(data, offset, width)
    if tail is None:
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)[offset:end]),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=lambda row: "error"),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 null_values=[""], strings_can_be_null=True,
                                                 quoted_strings_can_be_null=True))
    except pa.ArrowInvalid:
        return None
    for i, name in enumerate(names):  # whitespace-only cells are blank, as in the exact path
        table = table.set_column(i, name, blank_to_null(table.column(name)))
    head_grid = from_rows([r + [None] * (width - len(r)) for r in head]).table
    first = len(head) + 1
    lines_col = pa.array(np.arange(first, first + table.num_rows, dtype=np.int32))
    body = table.add_column(0, "line", lines_col).select(head_grid.column_names).cast(head_grid.schema)
    parts = [head_grid, body]
    if tail:
        tail_grid = from_rows([r + [None] * (width - len(r)) for r in tail]).table
        tail_grid = tail_grid.set_column(0, "line", pc.add(tail_grid.column("line"), first + table.num_rows - 1))
        parts.append(tail_grid.select(head_grid.column_names).cast(head_grid.schema))
    return Grid(pa.concat_tables(parts))


def _tail(data: bytes, offset: int, width: int) -> tuple[int, list[list[str]] | None]:
    """Where the regular rows end, and the rows after them (notes, blank lines: shorter than the
    header), parsed by the csv module. (end, None) when the tail cannot be told apart safely."""
    window = data[max(offset, len(data) - (1 << 16)):]
    lines = window.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[-1 - count].count(b",") < width - 1 and b'"' not in lines[-1 - count]:
        count += 1
    if count == len(lines):
        return len(data), None
    end = len(data) - sum(len(line) for line in lines[len(lines) - count:])
    try:
        tail = list(csv.reader(io.StringIO(data[end:].decode("utf-8")), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return end, None
    return end, tail
