"""Large .xlsx sheets straight into Arrow, without a Python object per cell.

python-calamine hands every cell to Python, which for a 100,000-row applicant
list costs more than parsing the file. fastexcel (calamine underneath, the same
cell values) fills Arrow columns directly, but it leaves out what a coordinator's
row numbers depend on: the blank rows above the first filled cell, and merged
cells. Both are read here from the sheet's own XML, in one streaming pass:

- the first filled row is the first ``<row r="N">`` holding a cell with a value
  (``<v>`` or an inline ``<is>``) — the cell calamine starts its range at;
- merged ranges are the ``<mergeCell ref="A1:C1"/>`` elements after the data.

Anything this reader is not sure of (no ``r`` on a row, prefixed XML such as
``<x:row>``, a sheet it cannot find) returns None and the caller takes the
exact path through python-calamine; tests/test_xlsx_fast.py shows both paths
give the same grid. Cells are the same text as the exact path gives them: a
date as 2020-06-08, TRUE/FALSE, blanks as None — and a text cell as typed.

fastexcel gives a Boolean cell as "true" and a date as "2020-06-08 00:00:00",
exactly the text of a cell typed so. Which cells are typed is asked of fastexcel
itself: a column holding such text is loaded once more as Booleans (or dates),
and only the cells that convert are rewritten. That costs a second parse of the
sheet, paid only by sheets with Boolean or date cells (or text that looks so).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.compute as pc

from etl.grid import Grid, Merged, blank_to_null, fill_merged

FAST_XLSX_BYTES = 1 << 19  # an .xlsx larger than this (about 10,000 rows) is read through Arrow

_SHEET = re.compile(rb'<sheet\b([^>]*)>')
_REL = re.compile(rb'<Relationship\b([^>]*)/?>')
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_ROW = re.compile(rb'<row\b([^>]*?)(/>|>(.*?)</row>)', re.S)
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_VALUE = re.compile(rb'<v[ >]|<is>')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CHUNK = 1 << 20
_HEAD_LIMIT = 1 << 22  # the first filled row must show within this much XML

_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_TIME_ONLY = r"^1899-12-3[01] (\d{2}:\d{2}:\d{2})$"  # a time-of-day cell: calamine's date part is day 0


def read_sheets(data: bytes, between_sheets: Callable[[], None] | None = None) -> list[tuple[str, Grid]] | None:
    """(sheet name, grid) for every sheet of an .xlsx, or None when the exact path must read it.
    The XML pass runs in a second thread while fastexcel parses (both release the GIL).
    `between_sheets` is called before each sheet (a time budget's check)."""
    import fastexcel  # imported here: only large workbooks need it

    with ThreadPoolExecutor(1) as pool:
        layouts = pool.submit(_layouts, data)
        reader = fastexcel.read_excel(data)
        loaded = []
        for name in reader.sheet_names:
            if between_sheets is not None:
                between_sheets()
            loaded.append((name, reader.load_sheet(name, header_row=None, dtypes="string")))
        layout = layouts.result()
    if layout is None or list(layout) != [name for name, _ in loaded]:
        return None
    sheets = []
    for name, sheet in loaded:
        first_row, merged = layout[name]
        columns = sheet.available_columns()
        first_col = columns[0].absolute_index if columns else 0
        sheets.append((name, _grid(_cells_as_text(reader, name, sheet.to_arrow()), first_row, first_col, merged)))
    return sheets


def _cells_as_text(reader, name: str, batch: pa.RecordBatch) -> list[pa.Array]:
    """The sheet's columns as the exact path shows their cells: typed Booleans as TRUE/FALSE, typed
    dates at midnight as 2020-06-08, typed times of day as 13:05:00; text as typed; blank as None."""
    columns = {column: blank_to_null(batch.column(i)) for i, column in enumerate(batch.schema.names)}
    looks_typed = {column: (pc.or_(_matches(values, _MIDNIGHT, " 00:00:00"), _matches(values, _TIME_ONLY, "1899-12-3")),
                            pc.fill_null(pc.is_in(values, pa.array(_BOOLEANS)), False))
                   for column, values in columns.items()}
    for probe, dtype in ((0, "datetime"), (1, "boolean")):
        asked = [column for column, flags in looks_typed.items() if pc.any(flags[probe]).as_py()]
        if not asked:
            continue
        typed = reader.load_sheet(name, header_row=None, use_columns=asked,
                                  dtypes=dict.fromkeys(asked, dtype)).to_arrow()
        for column in asked:
            rewrite = pc.and_(looks_typed[column][probe], typed.column(column).is_valid())
            columns[column] = pc.if_else(rewrite, _TYPED_TEXT[dtype](columns[column]), columns[column])
    return list(columns.values())


def _matches(values: pa.Array, pattern: str, must_contain: str) -> pa.Array:
    if not pc.any(pc.match_substring(values, must_contain)).as_py():
        return pa.array([False] * len(values))
    return pc.fill_null(pc.match_substring_regex(values, pattern), False)


_BOOLEANS = ["true", "false"]
_TYPED_TEXT = {
    "datetime": lambda values: pc.replace_substring_regex(pc.replace_substring_regex(values, _MIDNIGHT, r"\1"),
                                                          _TIME_ONLY, r"\1"),
    "boolean": pc.utf8_upper,
}


def _layouts(data: bytes) -> dict[str, tuple[int, list[Merged]]] | None:
    """Sheet name → (first filled row, merged ranges), in workbook order; None if unsure."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = _sheet_parts(z)
        if parts is None:
            return None
        layout = {}
        for name, part in parts.items():
            found = _scan(z, part)
            if found is None:
                return None
            layout[name] = found
    return layout


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name → its XML part in the zip, in workbook order."""
    try:
        sheets = workbook_sheets(z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return None
    names = set(z.namelist())
    if not sheets or any(name is None or part not in names for name, part in sheets):
        return None
    return dict(sheets)


def workbook_sheets(book: bytes, rels: bytes) -> list[tuple[str | None, str | None]]:
    """(sheet name, its zip part) for each sheet workbook.xml lists, in its order; None where the
    workbook does not give a name or the relationships a part."""
    targets = {}
    for m in _REL.finditer(rels):
        attrs = dict(_ATTR.findall(m.group(1)))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace")
            targets[attrs[b"Id"]] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    sheets = []
    for m in _SHEET.finditer(book):
        attrs = dict(_ATTR.findall(m.group(1)))
        name = attrs.get(b"name")
        sheets.append((_unescape(name.decode("utf-8", "replace")) if name is not None else None,
                       targets.get(attrs.get(b"r:id"))))
    return sheets


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _scan(z: zipfile.ZipFile, part: str) -> tuple[int, list[Merged]] | None:
    """(first filled row, 1-based; merged ranges 0-based (top, left, bottom, right)) of a sheet,
    from one streaming pass over its XML; None when the XML is not as expected."""
    first_row = 0
    head = b""
    tail = b""
    after_data = False
    with z.open(part) as f:
        while chunk := f.read(_CHUNK):
            if not first_row:
                head += chunk
                first_row = _first_filled_row(head)
                if first_row < 0:
                    return None
                if not first_row and len(head) > _HEAD_LIMIT:
                    return None
                if first_row:
                    head = b""
            if after_data:
                tail += chunk
            else:
                joined = tail[-16:] + chunk
                cut = joined.find(b"</sheetData>")
                if cut >= 0:
                    after_data = True
                    tail = joined[cut:]
                else:
                    tail = joined[-16:]
    if not after_data:
        return None
    if not first_row:  # no cell with a value: an empty sheet
        first_row = 1
    merged = []
    for m in _MERGE.finditer(tail):
        left, top = _column_index(m.group(1)), int(m.group(2)) - 1
        right, bottom = (_column_index(m.group(3)), int(m.group(4)) - 1) if m.group(3) else (left, top)
        merged.append((top, left, bottom, right))
    return first_row, merged


def _first_filled_row(head: bytes) -> int:
    """The number of the first row holding a value; 0 = not within these bytes yet; -1 = rows
    without numbers, which this reader does not follow."""
    for m in _ROW.finditer(head):
        number = _ROW_NUMBER.search(m.group(1))
        if number is None:
            return -1
        if m.group(3) and _VALUE.search(m.group(3)):
            return int(number.group(1))
    if b"</sheetData>" in head and b"<row" not in head and b":row" in head:
        return -1  # prefixed XML (<x:row>)
    return 0


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _grid(columns: list[pa.Array], first_row: int, first_col: int, merged: list[Merged]) -> Grid:
    """The sheet from A1: blank rows above and blank columns left of the filled range put back,
    merged ranges filled with their top-left cell."""
    above = first_row - 1
    height = above + (len(columns[0]) if columns else 0)
    cells = [pa.nulls(height, pa.string())] * first_col
    cells += [pa.concat_arrays([pa.nulls(above, pa.string()), values]) if above else values for values in columns]
    table = {"line": pa.array(range(1, height + 1), pa.int32())}
    table.update({f"c{i}": column for i, column in enumerate(cells)})
    return fill_merged(Grid(pa.table(table)), merged)
