"""The map shapes (static/maps/henan-2020.geojson, built once by tools/build_map.py from cnmaps):
which shapes a view of the province, a city or a county draws, and how a map is framed.
Shapes are local files: nothing is fetched from outside. The dashboard's own server hands the same
file to the browser (server.enableStaticServing: …/app/static/maps/…), once a page load, so a
page's map names its shapes by address instead of carrying them in every run."""

from __future__ import annotations

import json
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


def bounds(collection: dict) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the shapes, in degrees; None for no shapes."""
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
    return (min(lons), min(lats), max(lons), max(lats)) if lons else None


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
