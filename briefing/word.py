"""The briefing as a Word document (python-docx), the one offices edit: title, date, summary,
headline figures, then each chart with its table of figures and source line.

The same briefing gives the same bytes: the document's dates are the as-of date (not the time of
writing), and the package's zip entries carry that date too."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from briefing.charts import cells
from briefing.content import Briefing

FONT = "Microsoft YaHei"  # what offices' Word has; other machines substitute their CJK sans
LATIN = "Arial"
GREY = RGBColor(0x66, 0x66, 0x66)


def write(briefing: Briefing, images: dict[str, Path], path: Path) -> Path:
    doc = Document()
    _fonts(doc)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    week = briefing.week
    doc.add_heading(briefing.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(briefing.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(week.w("summary"), level=1)
    for paragraph in briefing.summary.split("\n"):
        if paragraph.strip():
            doc.add_paragraph(paragraph.strip())
    doc.add_heading(week.w("headline"), level=1)
    _table(doc, [[week.w("figure"), week.w("now"), week.w("change")],
                 *([h.label, h.value, h.change] for h in briefing.headline)])
    for n, chart in enumerate(briefing.charts, start=1):
        doc.add_heading(week.w("figure_no", n=n, what=chart.what), level=1)
        if chart.key in images:
            doc.add_picture(str(images[chart.key]), width=Cm(17))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if chart.note:
            doc.add_paragraph(chart.note)
        if len(chart.table):
            _table(doc, cells(chart.table))
        _grey(doc.add_paragraph(week.source))
    _properties(doc, briefing)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_dated(buffer.getvalue(), week.as_of))
    return path


def _fonts(doc) -> None:
    """Chinese in the named CJK font, Latin and figures in a plain sans, in every style used."""
    for name in ("Normal", "Title", "Heading 1", "Table Grid"):
        style = doc.styles[name]
        style.font.name = LATIN
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)


def _table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
            if run is not None:
                run.font.size = Pt(9)
                run.font.bold = i == 0


def _grey(paragraph) -> None:
    for run in paragraph.runs:
        run.font.size, run.font.color.rgb = Pt(8), GREY


def _properties(doc, briefing: Briefing) -> None:
    """The document's own dates are the as-of date, so a rerun changes nothing."""
    props = doc.core_properties
    when = dt.datetime.combine(briefing.week.as_of, dt.time(0, 0))
    props.title, props.subject = briefing.title, briefing.subtitle
    props.author = props.last_modified_by = briefing.week.w("title")
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.comments = props.keywords = ""


def _dated(package: bytes, day: dt.date) -> bytes:
    """The .docx zip again, every entry dated `day` (python-docx stamps them with the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
