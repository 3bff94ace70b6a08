"""Find the table in a sheet: which table it is, its header line below any title
rows, its data lines, its total (合计) lines and the notes below it.

The header is looked for line by line among the first lines; everything below
it is sorted into data, totals, blank lines and notes column-wise, so a sheet
of a million lines costs a few Arrow passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.grid import flags
from etl.read import Sheet
from etl.tables import TABLES, TableSpec, identify, match_columns, normalise_header

HEADER_SEARCH = 30  # the header is within the first lines of a sheet
TOTAL = re.compile(r"^\D{0,10}?(合计|总计|小计)([:：]|[（(][^）)]*[）)])?$")  # 合计, 全市总计, 开封市小计, 合计（人）
NOTE = re.compile(r"^(注|备注|说明|填表说明|填报说明|填表人|填报人|审核人|负责人|联系人|联系电话|制表)")
TOTAL_COLUMNS = 3  # a total's label stands in one of the first columns


class SheetProblem(Exception):
    """The sheet is recognised but cannot be read as its table (e.g. a required column is missing)."""

    def __init__(self, message: str, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.row, self.column = row, column


@dataclass
class Located:
    spec: TableSpec
    sheet: str
    header_line: int  # 1-based
    headers: list[str]  # as written in the file, whitespace removed
    positions: dict[str, int]  # warehouse column → position
    data: pa.Table = field(default_factory=lambda: pa.table({"line": pa.array([], pa.int32())}))  # line, c0..cN
    totals: list[tuple[int, list[str | None]]] = field(default_factory=list)

    def header_of(self, column: str) -> str:
        """The column's header as the file writes it (for messages)."""
        return self.headers[self.positions[column]] if column in self.positions else \
            self.spec.column(column).header

    def cells(self, column: str) -> pa.Array:
        """The data lines' cells of a warehouse column (all blank if the file lacks it)."""
        position = self.positions.get(column)
        if position is None or f"c{position}" not in self.data.column_names:
            return pa.nulls(self.data.num_rows, pa.string())
        return self.data.column(f"c{position}").combine_chunks()

    @property
    def lines(self) -> np.ndarray:
        return self.data.column("line").to_numpy()


def locate(sheet: Sheet, file_stem: str = "") -> Located | None:
    """The table in `sheet`, or None if the sheet holds nothing recognisable.

    Raises SheetProblem when the sheet is clearly one of the tables (by its name)
    but its header lacks a required column.
    """
    head = sheet.grid.rows(0, min(HEADER_SEARCH, len(sheet.grid)))
    candidates = []
    for i, line in enumerate(head):
        headers = [normalise_header(c) for c in line]
        for spec in TABLES:
            found = match_columns(spec, headers)
            # two known columns at least: a lone 填报单位：… cell on a cover sheet is not a header
            if ("region_code" in found or "application_no" in found) and len(found) >= 2:
                candidates.append((len(found), i, spec, headers, found))
    named = identify(sheet.name, []) or (identify(file_stem, []) if file_stem else None)
    best = None
    for _score, i, spec, headers, found in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if all(c.name in found for c in spec.required) and (named is None or spec is named):
            best = (i, spec, headers, found)
            break
    if best is None:
        if named is None and not candidates:
            return None
        spec = named or max(candidates, key=lambda c: c[0])[2]
        fit = [c for c in candidates if c[2] is spec]
        found = max(fit, key=lambda c: c[0])[4] if fit else {}
        line = max(fit, key=lambda c: c[0])[1] + 1 if fit else None
        missing = "、".join(c.header for c in spec.required if c.name not in found)
        raise SheetProblem(f"“{spec.sheet}”表缺少必填列：{missing}", line, missing)
    i, spec, headers, found = best
    located = Located(spec, sheet.name, i + 1, [re.sub(r"\s+", "", str(c or "")) for c in head[i]], found)
    _split_lines(sheet, located)
    return located


def _split_lines(sheet: Sheet, located: Located) -> None:
    """Data, totals and notes below the header; blank lines and a repeated header are neither."""
    body = sheet.grid.table.slice(located.header_line)
    n = body.num_rows
    columns = [body.column(name) for name in body.column_names if name != "line"]
    if n == 0 or not columns:
        located.data = body
        return
    filled = flags(reduce(pc.or_, [c.is_valid() for c in columns]))
    note = _notes(columns)
    before_notes = np.arange(n) < (int(np.argmax(note)) if note.any() else n)
    total = reduce(np.logical_or, [_matches(c, TOTAL, "计") for c in columns[:TOTAL_COLUMNS]])
    repeated = _repeats_header(columns, located.headers, located.positions)
    keep = filled & before_notes
    data = keep & ~total & ~repeated
    located.data = body if data.all() else body.filter(pa.array(data))
    totals = np.flatnonzero(keep & total)
    located.totals = list(zip(body.column("line").to_numpy()[totals].tolist(),
                              sheet.grid.rows_at((totals + located.header_line).tolist()), strict=True))


NOTE_STARTS = sorted({word[0] for word in NOTE.pattern.strip("^()").split("|")})


def _notes(columns: list[pa.ChunkedArray]) -> np.ndarray:
    """Lines whose first filled cell starts a note (注：…, 填表人：…)."""
    first = columns[0].combine_chunks()
    blank = first.is_null()
    empty_first = np.flatnonzero(flags(blank))
    if len(empty_first) and len(columns) > 1:  # the few lines whose first cell is blank
        rest = pc.coalesce(*[c.take(pa.array(empty_first)) for c in columns[1:]]).combine_chunks()
        first = pc.replace_with_mask(first, blank, rest)
    leading = pc.utf8_slice_codeunits(pc.utf8_ltrim_whitespace(first), 0, 1)
    candidates = np.flatnonzero(flags(pc.is_in(leading, pa.array(NOTE_STARTS))))
    note = np.zeros(len(first), dtype=bool)
    if len(candidates):
        note[candidates] = _matches(first.take(pa.array(candidates)), NOTE, "")
    return note


def _matches(column: pa.Array, pattern: re.Pattern, must_contain: str) -> np.ndarray:
    """Rows whose cell, whitespace removed, matches `pattern` (only cells containing
    `must_contain` are looked at closely)."""
    result = np.zeros(len(column), dtype=bool)
    candidates = column
    rows = np.arange(len(column))
    if must_contain:
        if not may_contain(column, must_contain):
            return result
        hit = flags(pc.match_substring(column, must_contain))
        rows = np.flatnonzero(hit)
        if not len(rows):
            return result
        candidates = pc.take(column, pa.array(rows))
    squeezed = pc.replace_substring_regex(candidates, r"\s+", "")
    found = flags(pc.match_substring_regex(squeezed, pattern.pattern))
    result[rows[found]] = True
    return result


def may_contain(column: pa.Array | pa.ChunkedArray, text: str) -> bool:
    """False when no cell of a text column contains `text`: its bytes are nowhere in the cells' data (one
    search of the bytes, several times quicker than a pass over a million cells). True may be wrong (a
    match across two cells); the cells are looked at then."""
    needle = text.encode()
    for chunk in column.chunks if isinstance(column, pa.ChunkedArray) else [column]:
        if not len(chunk):
            continue
        if chunk.type != pa.string():
            return True
        _, offsets, data = chunk.buffers()
        if data is None:
            continue
        bounds = np.frombuffer(offsets, dtype=np.int32)[[chunk.offset, chunk.offset + len(chunk)]]
        if needle in data.slice(int(bounds[0]), int(bounds[1] - bounds[0])).to_pybytes():
            return True
    return False


def _repeats_header(columns: list[pa.Array], header: list[str], positions: dict[str, int]) -> np.ndarray:
    """Lines that repeat the header (a printed page break), judged on the known columns."""
    result = np.zeros(len(columns[0]), dtype=bool)
    known = [p for p in positions.values() if p < len(columns) and header[p]]
    if not known:
        return result
    first = known[0]
    if not may_contain(columns[first], header[first][:1]):
        return result
    hit = flags(pc.match_substring(columns[first], header[first][:1]))
    for row in np.flatnonzero(hit):
        if all(re.sub(r"\s+", "", str(columns[p][row].as_py() or "")) == header[p] for p in known):
            result[row] = True
    return result
