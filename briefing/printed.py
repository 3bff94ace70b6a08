"""The briefing as a PDF: the same content as the Word document laid out as an HTML page (the
PNGs, the CJK font named) and printed by headless Chromium — offline, with the fonts the images
use. The same briefing gives the same bytes: the PDF's dates are the as-of date and its file
identifier is made from its content."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import subprocess
import tempfile
from pathlib import Path

from briefing.charts import cells
from briefing.content import Briefing
from briefing.images import chromium
from charts.theme import FONT

STYLE = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
body { font-family: %(font)s; color: #1b1f24; font-size: 10.5pt; line-height: 1.55; margin: 0; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 2mm; }
.subtitle { text-align: center; color: #555; margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-left: 4px solid #0072B2; padding-left: 2mm; }
p { margin: 0 0 2mm; text-align: justify; }
table { border-collapse: collapse; width: 100%%; font-size: 8.5pt; margin: 2mm 0; }
th, td { border: 0.5pt solid #bbb; padding: 1mm 1.5mm; text-align: left; }
th { background: #e8eef6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
figure { margin: 0; page-break-inside: avoid; }
figure img { width: 100%%; display: block; }
.source { color: #666; font-size: 8pt; }
.headline { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2mm; margin: 2mm 0; }
.headline div { border: 0.5pt solid #ccd; border-radius: 2mm; padding: 2mm 3mm; }
.headline b { display: block; font-size: 15pt; }
.headline span { color: #555; font-size: 8.5pt; }
"""
NUMBER = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")


def page(briefing: Briefing, images: dict[str, Path]) -> str:
    """The briefing as one HTML page (images by their file address)."""
    week, e = briefing.week, html.escape
    parts = [f"<h1>{e(briefing.title)}</h1>", f"<p class='subtitle'>{e(briefing.subtitle)}</p>",
             f"<h2>{e(week.w('summary'))}</h2>",
             *(f"<p>{e(p.strip())}</p>" for p in briefing.summary.split("\n") if p.strip()),
             f"<h2>{e(week.w('headline'))}</h2><div class='headline'>",
             *(f"<div><span>{e(h.label)}</span><b>{e(h.value)}</b><span>{e(h.change)}</span></div>"
               for h in briefing.headline), "</div>"]
    for n, chart in enumerate(briefing.charts, start=1):
        heading = f"<h2>{e(week.w('figure_no', n=n, what=chart.what))}</h2>"
        if chart.key in images:  # the heading stays with its image
            image = images[chart.key].resolve().as_uri()
            heading = f"<figure>{heading}<img src='{image}' alt='{e(chart.what)}'></figure>"
        parts.append(heading)
        if chart.note:
            parts.append(f"<p>{e(chart.note)}</p>")
        if len(chart.table):
            parts.append(_table(cells(chart.table)))
        parts.append(f"<p class='source'>{e(week.source)}</p>")
    lang = "en" if week.lang == "en" else "zh-CN"
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{e(briefing.title)}</title>"
            f"<style>{STYLE % {'font': FONT}}</style></head><body>{''.join(parts)}</body></html>")


def _table(rows: list[list[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td class='n'>{e(v)}</td>" if NUMBER.match(v) else f"<td>{e(v)}</td>"
                                    for v in row) + "</tr>" for row in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write(briefing: Briefing, images: dict[str, Path], path: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="briefing-print-") as work:
        source = Path(work) / "briefing.html"
        source.write_text(page(briefing, images), encoding="utf-8")
        _print(source, path, Path(work) / "profile")
    path.write_bytes(_pinned(path.read_bytes(), briefing.week.as_of))
    return path


def _print(source: Path, target: Path, profile: Path) -> None:
    command = [chromium(), "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
               f"--user-data-dir={profile}", f"--print-to-pdf={target}", source.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # Chromium's sandbox refuses to run as root
        command.insert(1, "--no-sandbox")
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(f"Chromium could not print the briefing: {done.stderr.strip()[-500:]}")


def _pinned(pdf: bytes, day: dt.date) -> bytes:
    """The PDF with its creation and modification dates set to `day` and its file identifier made
    from its content: the same length each, so the cross-reference offsets stay right."""
    def date(match: re.Match) -> bytes:
        stamp = f"D:{day:%Y%m%d}000000+00'00'"
        return match.group(1) + stamp.encode().ljust(len(match.group(2)), b" ")[:len(match.group(2))] + b")"
    pdf = re.sub(rb"(/(?:CreationDate|ModDate) \()([^)]*)\)", date, pdf)
    ids = re.search(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]", pdf)
    if ids:
        digest = hashlib.sha256(pdf[:ids.start()]).hexdigest().upper().encode()
        pdf = pdf[:ids.start(1)] + digest[:len(ids.group(1))] + pdf[ids.end(1):]
        again = re.search(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]", pdf)
        pdf = pdf[:again.start(2)] + digest[:len(again.group(2))] + pdf[again.end(2):]
    return pdf
