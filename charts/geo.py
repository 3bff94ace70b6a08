"""The map shapes (static/maps/henan-2020.geojson, built once by tools/build_map.py from cnmaps):
which shapes a view of the province, a city or a county draws, and how a map is framed.
Shapes are local files: nothing is fetched from outside. The dashboard's own server hands the same
file to the browser (server.enableStaticServing: …/app/static/maps/…), once a page load, so a
page's map names its shapes by address instead of carrying them in every run."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pandas as pd

SHAPES = Path(__file__).resolve().parent.parent / "static" / "maps" / "henan-2020.geojson"
# The same file as the browser asks for it: relative to the page (…/ or …/risk, under any base path)
SHAPES_URL = "app/static/maps/henan-2020.geojson"
PROVINCE = "410000"


@cache
def _features() -> tuple[dict, ...]:
    return tuple(json.loads(SHAPES.read_text(encoding="utf-8"))["features"])


def shapes_under(parent: str) -> dict:
    """The shapes one level below `parent`: the 28 reporting regions under the province, the
    counties under a city. Empty for a unit with nothing below it."""
    return {"type": "FeatureCollection", "features": [f for f in _features() if f["properties"]["parent"] == parent]}


def covers(collection: dict) -> dict[str, str]:
    """Unit code → the shape drawn for it (吉利区 is drawn inside 孟津县's shape, see the build tool)."""
    return {code: f["id"] for f in collection["features"] for code in f["properties"]["covers"]}


def frame_of(collection: dict, height_px: int, width_px: int = 760) -> tuple[dict, float]:
    """(centre, zoom) that fits the shapes into a map of this size (web-mercator, 512-px tiles)."""
    lons, lats = [], []

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for c in coords:
                walk(c)
    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    if not lons:
        return {"lon": 113.6, "lat": 33.9}, 5.6

    def y(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    span_x = (max(lons) - min(lons)) * 1.12
    span_y = (y(max(lats)) - y(min(lats))) * 1.12
    zoom = min(math.log2(width_px * 360 / (512 * span_x)), math.log2(height_px * 360 / (512 * span_y)))
    centre_y = (y(max(lats)) + y(min(lats))) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(math.radians(centre_y))) - math.pi / 2)
    return {"lon": (max(lons) + min(lons)) / 2, "lat": centre_lat}, round(zoom, 2)


def by_shape(data: pd.DataFrame, collection: dict, units: pd.DataFrame) -> pd.DataFrame:
    """The units' figures (one row per unit: registrations, population, census_population,
    reported_registered, confirmed, utilisation) summed per shape drawn for them — 吉利区 with
    孟津县 — with each shape's name, its short label, registrations per 10,000 people (census
    figures only: a direct county's population is an estimate) and the share confirmed."""
    data = data.assign(shape=data["region_code"].map(covers(collection))).dropna(subset=["shape"])
    names = {f["id"]: f["properties"]["name"] for f in collection["features"]}
    sums = data.groupby("shape").agg(registrations=("registrations", "sum"), population=("population", "sum"),
                                     census=("census_population", lambda v: v.sum(min_count=len(v))),
                                     reported=("reported_registered", "sum"), confirmed=("confirmed", "sum"),
                                     utilisation=("utilisation", "max")).reset_index()
    sums["name"] = sums["shape"].map(names)
    short = units.set_index("region_code")["short_name"]
    sums["label"] = sums["shape"].map(lambda s: short.get(s) or names[s])
    sums["per_10k"] = sums["registrations"] * 10000 / sums["census"].where(sums["census"] > 0)
    sums["confirmed_rate"] = sums["confirmed"] / sums["reported"].where(sums["reported"] > 0)
    return sums
