"""The charts as PNG images at 2× scale, drawn by kaleido with the system Chromium (offline: the
plotly.js that ships with plotly, no MathJax, map shapes from local files). The font is the one
charts/theme.py names in every figure, so the images do not depend on the machine's defaults.

A busy browser may lay a title out before the CJK font is there (its first line cut at the top):
such an image is drawn again."""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import shutil
from pathlib import Path

import kaleido
import plotly.graph_objects as go
from PIL import Image

from briefing.charts import Chart
from charts.theme import FONT

SCALE = 2
TRIES = 8
# A browser's first figure is laid out before the CJK font is loaded, and its title is placed for the
# wrong height (the first line cut at the top): a small figure in the same font is drawn first.
WARM_UP = go.Figure(layout={"title": {"text": "周报"}, "font": {"family": FONT}})


def chromium() -> str:
    """The system Chromium (BROWSER_PATH, as kaleido reads it, else the one on PATH)."""
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise FileNotFoundError("Chromium not found: install it (apt-get install chromium) or set BROWSER_PATH")
    return found


def draw(charts: list[Chart], folder: Path, stem: str) -> dict[str, Path]:
    """Each chart that has a figure as `<stem>-<key>.png` in `folder`; chart key → path."""
    drawn = [c for c in charts if c.figure is not None]
    images = _run(_render(drawn)) if drawn else []
    paths = {}
    for chart, png in zip(drawn, images, strict=True):
        paths[chart.key] = folder / f"{stem}-{chart.key}.png"
        paths[chart.key].write_bytes(png)
    return paths


def _run(work):
    """asyncio.run(work), also where this thread already runs an event loop (Streamlit's, or a
    browser driver's): then on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _render(charts: list[Chart]) -> list[bytes]:
    """One Chromium for all the charts; each drawn until it comes out whole."""
    async with kaleido.Kaleido(n=1, mathjax=False, path=chromium()) as k:
        await k.calc_fig(WARM_UP, opts={"format": "png", "width": 200, "height": 100})
        images = []
        for chart in charts:
            opts = {"format": "png", "width": chart.width, "height": chart.height, "scale": SCALE}
            for _ in range(TRIES):
                png = await k.calc_fig(chart.figure, opts=opts)
                if not _cut(png):
                    break
            images.append(png)
        return images


def _cut(png: bytes) -> bool:
    """Whether something is drawn on the image's top edge: a title laid out before its font was there
    (the theme leaves white space above every title)."""
    top = Image.open(io.BytesIO(png)).convert("L").crop((0, 0, 600, 3))
    return min(top.get_flattened_data()) < 128

