"""周报: the export from the demo warehouse (python -m briefing) — every file there, images wide and
not blank, the Word document with its summary and images, the PDF with its Chinese title, Chinese in
a CJK font, the same bytes for the same data, a region's export holding only that region — every
query asked within the export's scope, and the page under AppTest."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from briefing import scope as briefing_scope
from briefing.__main__ import main
from briefing.content import build
from briefing.scope import ask
from briefing.week import week_of
from charts.theme import FONT
from domain.campaign import default_campaign_path, load_campaign
from queries import read
from queries.connection import current_version

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2020, 7, 10)
TITLE = "河南省中小学教师资格认定工作周报"
CHARTS = ("map", "registrations", "capacity", "risk", "plans")
ZHOUKOU = "411600"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def chromium_present():
    if not (shutil.which("chromium") or os.environ.get("BROWSER_PATH")):
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Chromium is not installed: apt-get install chromium fonts-noto-cjk (see README)")


@pytest.fixture(scope="module")
def warehouse(demo_warehouse):
    db, _ = demo_warehouse
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JSZG_WAREHOUSE", str(db))
        yield db


def run_cli(out: Path, *extra: str) -> list[Path]:
    """The command as cron runs it: a process of its own."""
    done = subprocess.run([sys.executable, "-m", "briefing", "--as-of", AS_OF.isoformat(), "--out", str(out), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == "", done.stderr[-2000:]  # nothing but the files' names, for cron's mail
    return [Path(line) for line in done.stdout.split()]


@pytest.fixture(scope="module")
def province(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("briefing") / "province"
    run_cli(out)
    return out


@pytest.fixture(scope="module")
def province_again(warehouse, tmp_path_factory) -> Path:
    """The same export again, in this process (a different way in, the same files expected)."""
    out = tmp_path_factory.mktemp("briefing-again") / "province"
    assert main(["--as-of", AS_OF.isoformat(), "--out", str(out)]) == 0
    return out


def stem(region: str = "410000") -> str:
    return f"briefing-{region}-{AS_OF.isoformat()}"


def test_every_expected_file_exists(province):
    expected = {f"{stem()}-{key}.png" for key in CHARTS} | {f"{stem()}.docx", f"{stem()}.pdf"}
    assert {p.name for p in province.iterdir()} == expected


@pytest.mark.parametrize("key", CHARTS)
def test_images_are_at_least_1600_pixels_wide_and_not_blank(province, key):
    image = Image.open(province / f"{stem()}-{key}.png").convert("L")
    pixels = np.asarray(image, dtype=float)
    assert image.width >= 1600
    assert pixels.std() > 20  # a blank or nearly blank image has almost no variance
    assert (pixels < 200).mean() > 0.01  # and something is drawn on a good part of it


def test_the_word_document_holds_the_summary_and_every_image(province, warehouse):
    document = Document(str(province / f"{stem()}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    summary = expected_briefing(warehouse).summary
    assert summary.startswith("截至7月10日，全省网报") and summary in text
    assert TITLE in text
    images = {hashlib.sha256(part.blob).hexdigest() for part in document.part.package.parts
              if part.content_type == "image/png"}
    pngs = {hashlib.sha256((province / f"{stem()}-{key}.png").read_bytes()).hexdigest() for key in CHARTS}
    assert images == pngs
    assert len(document.inline_shapes) == len(CHARTS)
    assert len(document.tables) == 1 + len(CHARTS)  # the headline figures, then each chart's figures
    assert document.core_properties.created.date() == document.core_properties.modified.date() == AS_OF


def test_the_pdf_text_holds_the_chinese_title(province):
    reader = PdfReader(province / f"{stem()}.pdf")
    # Chromium's PDF text layer gives a glyph that Noto CJK shares between a Kangxi radical and an
    # ideograph the radical's code point (⼩ U+2F29 for 小): NFKC maps them back
    first = unicodedata.normalize("NFKC", reader.pages[0].extract_text())
    assert TITLE in first
    assert "全省 · 截至 2020-07-10" in first
    assert len(reader.pages) >= 3


def test_chinese_is_drawn_with_a_cjk_font(province):
    family = FONT.split(",")[0].strip()
    assert family == "Noto Sans CJK SC"
    resolved = subprocess.run(["fc-match", "-f", "%{family}|%{file}", f"{family}:lang=zh-cn"],
                              capture_output=True, text=True, check=True).stdout
    assert "Noto Sans CJK SC" in resolved.split("|")[0] and "NotoSansCJK" in resolved.split("|")[1], resolved
    # the title's Chinese is drawn, whole: ink in the title's band at the top left of every image,
    # none on the image's top edge (a title laid out before its font was there is cut there)
    for key in CHARTS:
        pixels = np.asarray(Image.open(province / f"{stem()}-{key}.png").convert("L"), dtype=float)
        assert (pixels[:170, :900] < 128).sum() > 1500, key
        assert (pixels[:4] < 128).sum() == 0, key


def same_picture(a: bytes, b: bytes, what: str) -> None:
    """Two images drawn from the same data are the same picture: the same size and every pixel the
    same, but for the anti-aliased edges of text, which some Chromium builds rasterise a shade
    differently from one run to the next (seen on Debian's Chromium 150 in the map's labels: at most
    33 of 255 apart, on under 1% of the pixels). A changed figure, colour or word moves far more."""
    if a == b:
        return
    first, second = (np.asarray(Image.open(io.BytesIO(x)).convert("RGB"), dtype=int) for x in (a, b))
    assert first.shape == second.shape, what
    apart = np.abs(first - second).max(axis=2)
    assert apart.max() <= 64 and (apart > 0).mean() < 0.01, (what, int(apart.max()), float((apart > 0).mean()))


def test_the_same_data_gives_the_same_files(province, province_again):
    for name in [f"{stem()}-{key}.png" for key in CHARTS]:
        same_picture((province / name).read_bytes(), (province_again / name).read_bytes(), name)
    # the Word file: the same parts, the same words and layout, the same pictures
    with zipfile.ZipFile(province / f"{stem()}.docx") as a, zipfile.ZipFile(province_again / f"{stem()}.docx") as b:
        assert a.namelist() == b.namelist()
        for part in a.namelist():
            if part.startswith("word/media/"):
                same_picture(a.read(part), b.read(part), part)
            else:
                assert a.read(part) == b.read(part), part
    # the PDF: the same pages with the same text, each page the same picture
    first, second = PdfReader(province / f"{stem()}.pdf"), PdfReader(province_again / f"{stem()}.pdf")
    assert len(first.pages) == len(second.pages)
    for one, other in zip(first.pages, second.pages, strict=True):
        assert one.extract_text() == other.extract_text()
        assert [i.name for i in one.images] == [i.name for i in other.images]
        for mine, theirs in zip(one.images, other.images, strict=True):
            same_picture(mine.data, theirs.data, mine.name)


def expected_briefing(warehouse, region: str = "410000"):
    version = current_version(Path(warehouse))
    return build(week_of(version, load_campaign(default_campaign_path()), AS_OF, region))


def other_regions(warehouse, region: str) -> list[str]:
    units = read.regions.as_scope("410000", current_version(Path(warehouse)))
    return [n for c, n in zip(units["region_code"], units["name"], strict=True)
            if c != region and units.set_index("region_code").at[c, "parent_code"] == "410000"]


def test_a_region_export_names_no_other_region(warehouse, tmp_path):
    out = tmp_path / "zhoukou"
    files = run_cli(out, "--region", ZHOUKOU)
    assert {p.name for p in files} >= {f"{stem(ZHOUKOU)}.docx", f"{stem(ZHOUKOU)}.pdf"}
    document = Document(str(out / f"{stem(ZHOUKOU)}.docx"))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    pages = PdfReader(out / f"{stem(ZHOUKOU)}.pdf").pages
    pdf = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pages))
    drawn = "".join(c.figure.to_json() for c in expected_briefing(warehouse, ZHOUKOU).charts if c.figure is not None)
    assert "周口市" in text and "周口市" in pdf
    others = other_regions(warehouse, ZHOUKOU)
    assert len(others) == 27
    for name in others:
        assert name not in text and name not in pdf and name not in drawn, name


def test_ask_uses_the_scope_once_queries_have_one():
    def query(*args):
        return ("plain", args)
    assert ask(query, 1, 2, scope="411600") == ("plain", (1, 2))
    query.as_scope = lambda allowed, *args: ("scoped", allowed, args)
    assert ask(query, 1, 2, scope="411600") == ("scoped", "411600", (1, 2))


def test_every_query_is_asked_within_the_export_scope(warehouse, monkeypatch):
    """A query called plainly outside a session refuses (queries/read.py); the briefing asks each one
    through `.as_scope` with its region."""
    asked = []

    def scoped(original):
        def refuse(*args, **kwargs):
            raise AssertionError(f"{original.__name__} called without a scope")

        def as_scope(allowed, *args, **kwargs):
            asked.append((original.__name__, allowed))
            return original.as_scope(allowed, *args, **kwargs)
        refuse.as_scope = as_scope
        return refuse
    names = [n for n in dir(read) if callable(getattr(read, n)) and hasattr(getattr(read, n), "as_scope")]
    assert {"progress", "risk", "plans", "by_child"} <= set(names)
    for name in names:
        monkeypatch.setattr(read, name, scoped(getattr(read, name)))
    assert briefing_scope.PROVINCE == "410000"
    expected_briefing(warehouse, ZHOUKOU)
    assert asked and {allowed for _, allowed in asked} == {ZHOUKOU}
    assert {"regions", "progress", "risk_by_unit", "plans", "silence", "by_child", "registrations_daily",
            "capacity"} <= {name for name, _ in asked}


def page(db: str, as_of: str):
    """The page as dashboard.py runs it: the signed-in identity and the shared context in session
    state, then the page."""
    import datetime as dt
    import runpy
    from pathlib import Path

    import streamlit as st

    from access.identity import Identity
    from domain.campaign import default_campaign_path, load_campaign
    from pages.frame import Context
    from queries.connection import current_version
    from queries.who import IDENTITY_KEY

    st.session_state[IDENTITY_KEY] = Identity("lead", "leader", None)  # as dashboard.py's gate leaves it
    st.session_state["context"] = Context(current_version(Path(db)), load_campaign(default_campaign_path()),
                                          dt.date.fromisoformat(as_of), "410000", "全省", "zh")
    runpy.run_path("pages/briefing.py")


def test_the_page_shows_the_week_and_exports_the_edited_summary(warehouse):
    at = AppTest.from_function(page, args=(str(warehouse), AS_OF.isoformat()), default_timeout=600)
    at.run()
    assert not at.exception
    expected = expected_briefing(warehouse)
    assert [(m.label, m.value) for m in at.metric] == [(h.label, h.value) for h in expected.headline]
    assert len(at.get("plotly_chart")) == len(CHARTS)
    assert at.text_area[0].value == expected.summary
    at.text_area[0].set_value("截至7月10日，全省工作总体正常。（已改写）")
    at.button(key="briefing-prepare").click()
    at.run()
    assert not at.exception
    files = at.session_state["briefing-files"][1]
    document = Document(io.BytesIO(files["docx"][1]))
    assert any("（已改写）" in p.text for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(files["png"][1])) as archive:
        assert sorted(archive.namelist()) == sorted(f"{stem()}-{key}.png" for key in CHARTS)
    assert files["pdf"][1].startswith(b"%PDF")
