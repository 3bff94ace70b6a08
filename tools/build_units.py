"""Build data/regions/henan-2020.csv from shared/reference/henan-regions-2020.csv.

Run once (python tools/build_units.py ../shared/reference/henan-regions-2020.csv);
the result is committed. Adds the reporting parent (the province for the ten
directly administered counties and 济源), the geographic parent, a short name and
a population figure for the area each unit reports for. Counties have no census
figure in the reference list: their population is an estimate (the city's census
figure shared among its county-level units, a district counting half) and is
marked as such. A city's figure is its census figure less its directly
administered county, so that a city's counties add up to it and the province's
reporting units (cities, 济源, direct counties) add up to the province.
"""

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "regions" / "henan-2020.csv"
SUFFIXES = ("回族区", "区", "县", "市", "省")


def short_name(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def main(source: str) -> None:
    with open(source, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    city_pop = {r["code"]: int(r["pop_2020_census"]) for r in rows if r["pop_2020_census"]}
    weight = {r["code"]: 0.5 if r["county_type"] == "district" else 1.0
              for r in rows if r["level"] == "county"}
    share: dict[str, float] = {}
    for r in rows:
        if r["level"] == "county":
            share[r["parent_code"]] = share.get(r["parent_code"], 0.0) + weight[r["code"]]
    estimate = {c: round(city_pop[p] * weight[c] / share[p])
                for c, p in ((r["code"], r["parent_code"]) for r in rows if r["level"] == "county")}
    reporting_city = {r["code"]: r["parent_code"] for r in rows
                      if r["level"] == "county" and r["zhiguan"] != "1"}
    out = []
    for r in rows:
        code, level = r["code"], r["level"]
        if level == "province":
            kind, parent, geo = "province", "", ""
        elif level == "prefecture":
            kind, parent, geo = "city", "410000", "410000"
        elif level == "province_direct_county":
            kind, parent, geo = "direct_zone", "410000", "410000"
        elif r["zhiguan"] == "1":
            kind, parent, geo = "direct_county", "410000", r["parent_code"]
        else:
            kind, parent, geo = "county", r["parent_code"], r["parent_code"]
        if level == "county":
            pop, source_tag = estimate[code], "estimate"
        elif level == "prefecture":
            pop = sum(v for c, v in estimate.items() if reporting_city.get(c) == code)
            source_tag = "census2020" if pop == city_pop[code] else "census2020-minus-direct"
        else:
            pop, source_tag = city_pop[code], "census2020"
        out.append({
            "code": code, "name": "济源示范区" if code == "419001" else r["name_zh"],  # as the notice names it
            "short_name": "济源" if code == "419001" else short_name(r["name_zh"]),
            "kind": kind, "parent_code": parent, "geo_parent_code": geo,
            "county_type": r["county_type"], "population": pop, "population_source": source_tag,
        })
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} units to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/henan-regions-2020.csv")
