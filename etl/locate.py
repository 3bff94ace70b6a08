"""Find the table in a sheet: which table it is, its header line below any title
rows, its data lines, its total (合计) lines and the notes below it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.read import Sheet
from etl.tables import TABLES, TableSpec, identify, match_columns, normalise_header

HEADER_SEARCH = 30  # the header is within the first lines of a sheet
TOTAL = re.compile(r"^\D{0,10}?(合计|总计|小计)([:：]|[（(][^）)]*[）)])?$")  # 合计, 全市总计, 开封市小计, 合计（人）
NOTE = re.compile(r"^(注|备注|说明|填表说明|填报说明|填表人|填报人|审核人|负责人|联系人|联系电话|制表)")


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
    headers: list[str]  # as written in the file
    positions: dict[str, int]  # warehouse column → position
    data: list[tuple[int, list[str | None]]] = field(default_factory=list)
    totals: list[tuple[int, list[str | None]]] = field(default_factory=list)

    def header_of(self, column: str) -> str:
        """The column's header as the file writes it (for messages)."""
        return self.headers[self.positions[column]] if column in self.positions else \
            self.spec.column(column).header


def locate(sheet: Sheet, file_stem: str = "") -> Located | None:
    """The table in `sheet`, or None if the sheet holds nothing recognisable.

    Raises SheetProblem when the sheet is clearly one of the tables (by its name)
    but its header lacks a required column.
    """
    candidates = []
    for i, line in enumerate(sheet.lines[:HEADER_SEARCH]):
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
    located = Located(spec, sheet.name, i + 1, [re.sub(r"\s+", "", str(c or "")) for c in sheet.lines[i]], found)
    _split_lines(sheet, located)
    return located


def _split_lines(sheet: Sheet, located: Located) -> None:
    header = [normalise_header(c) for c in sheet.lines[located.header_line - 1]]
    for number, line in enumerate(sheet.lines[located.header_line:], start=located.header_line + 1):
        cells = [c for c in line if c is not None and str(c).strip()]
        if not cells:
            continue
        first = re.sub(r"\s+", "", str(cells[0]))
        if NOTE.match(first):
            break  # notes end the table: nothing below them is data
        if any(TOTAL.match(re.sub(r"\s+", "", str(c))) for c in line[:3] if c):
            located.totals.append((number, line))
        elif [normalise_header(c) for c in line] == header:
            continue  # the header repeated (a printed page break)
        else:
            located.data.append((number, line))
