"""回执: one .xlsx per file received, to hand back to the county that sent it — what arrived
(name, SHA-256, when, from whom), what became of it, and every error and warning with its
sheet, Excel row, column, value and message. The upload page and `etl load --receipts DIR`
write the same receipt."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.styles import Font

from etl.load import FileReport
from etl.spreadsheet import xlsx_bytes

STATUS_ZH = {"loaded": "已导入", "partial": "部分导入", "rejected": "拒收", "duplicate": "已收到过（内容相同，未改动）"}
WHAT_TO_DO = {"loaded": "无需处理。",
              "partial": "请按下表更正被拒收的行，重新报送整张表（新文件会替换旧数据）。",
              "rejected": "整个文件未导入：请按下表更正后重新报送。",
              "duplicate": "此前已收到内容完全相同的文件，无需重复报送。"}
KIND_ZH = {"error": "错误（该行未导入）", "warning": "提醒（已导入，请核对）"}
PROBLEM_COLUMNS = ["类别", "工作表", "行号", "列", "值", "说明"]


def receipt_bytes(report: FileReport, received_at: dt.datetime, by: str) -> bytes:
    """The receipt of one file as .xlsx bytes."""
    problems = [(KIND_ZH[kind], p.sheet, p.row, p.column, p.value, p.message)
                for kind, items in (("error", report.errors), ("warning", report.warnings)) for p in items]
    frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    heading = [
        "教师资格认定数据报送回执",
        f"文件：{Path(report.file).name}",
        f"SHA-256：{report.sha256}",
        f"收到时间：{received_at:%Y-%m-%d %H:%M:%S}　报送人：{by}",
        f"结果：{STATUS_ZH[report.status]}　读取 {report.rows_read} 行，导入 {report.rows_loaded} 行，"
        f"拒收 {report.rows_rejected} 行，提醒 {len(report.warnings)} 条",
        f"处理意见：{WHAT_TO_DO[report.status]}",
    ]
    data = xlsx_bytes(frame, "回执", heading)
    book = load_workbook(io.BytesIO(data))
    sheet = book["回执"]
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["F"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def receipt_name(report: FileReport) -> str:
    return f"回执_{Path(report.file).stem}.xlsx"


def write_receipts(reports: list[FileReport], folder: Path, received_at: dt.datetime, by: str) -> list[Path]:
    """One receipt per file into `folder`; a second file of the same name gets its hash's start."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for report in reports:
        path = folder / receipt_name(report)
        if path in written:
            path = folder / f"回执_{Path(report.file).stem}_{report.sha256[:8]}.xlsx"
        path.write_bytes(receipt_bytes(report, received_at, by))
        written.append(path)
    return written
