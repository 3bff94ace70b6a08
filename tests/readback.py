"""Read demo files back the way a person opening them would: every sheet of a
workbook with python-calamine, a CSV in whichever encoding it decodes in."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook


@dataclass
class Sheet:
    name: str
    lines: list[list[object]]  # every line of the sheet, line 1 first

    def table(self, first_column: set[str]) -> tuple[int, list[str], list[tuple[int, list[object]]]]:
        """(header line number, header, [(line number, cells)]) for the table whose header
        starts with one of `first_column`; totals, notes and blank lines are left out."""
        for i, line in enumerate(self.lines):
            if str(line[0]).strip() in first_column:
                header = [str(c) for c in line]
                rows = [(i + 2 + j, cells) for j, cells in enumerate(self.lines[i + 1:])
                        if str(cells[0]).strip() not in ("", "合计") and not str(cells[0]).startswith("注")
                        and not str(cells[0]).startswith(("2.", "3."))]
                return i + 1, header, rows
        raise AssertionError(f"no table with a header starting {first_column} in {self.name}")

    def cell(self, line: int, column: str, header_line: int) -> object:
        header = [str(c) for c in self.lines[header_line - 1]]
        return self.lines[line - 1][header.index(column)]


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) — UTF-8 (with or without BOM) first, then GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("neither UTF-8 nor GB18030")


def read(path: Path) -> list[Sheet]:
    if path.suffix == ".csv":
        text, _ = decode(path.read_bytes())
        return [Sheet(path.stem, [row for row in csv.reader(io.StringIO(text))])]
    workbook = CalamineWorkbook.from_path(str(path))
    return [Sheet(name, workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names]


def sheet(path: Path, name: str) -> Sheet:
    sheets = read(path)
    if path.suffix == ".csv":
        return sheets[0]
    return next(s for s in sheets if s.name == name)
