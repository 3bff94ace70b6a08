"""One export, for the command line and the page alike: the charts as PNGs, the Word document and
the PDF, written to one folder and named for the scope and the date."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from briefing import images, printed, word
from briefing.content import Briefing


@dataclass(frozen=True)
class Export:
    pngs: list[Path]
    docx: Path
    pdf: Path

    @property
    def files(self) -> list[Path]:
        return [*self.pngs, self.docx, self.pdf]


def export(briefing: Briefing, folder: Path) -> Export:
    folder.mkdir(parents=True, exist_ok=True)
    drawn = images.draw(briefing.charts, folder, briefing.stem)
    docx = word.write(briefing, drawn, folder / f"{briefing.stem}.docx")
    pdf = printed.write(briefing, drawn, folder / f"{briefing.stem}.pdf")
    return Export(list(drawn.values()), docx, pdf)


def zipped(paths: list[Path], day: dt.date) -> bytes:
    """The files in one zip, each entry dated `day` (the same files give the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for path in paths:
            archive.writestr(zipfile.ZipInfo(path.name, date_time=(day.year, day.month, day.day, 0, 0, 0)),
                             path.read_bytes())
    return out.getvalue()
