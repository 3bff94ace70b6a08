"""Henan's reporting units (2020 codes) and the resolver that turns what a region
writes in its file into a code.

Two parents are kept: `parent_code` is the *reporting* parent (the province for
the ten directly administered counties and for 济源), `geo_parent_code` the
geographic one. Totals always follow the reporting parent, so a direct county
is counted once, never inside its geographic city.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

UNITS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions" / "henan-2020.csv"

PROVINCE = "province"
CITY = "city"
DIRECT_ZONE = "direct_zone"  # 济源示范区
DIRECT_COUNTY = "direct_county"
COUNTY = "county"
REPORTING_KINDS = (CITY, DIRECT_ZONE, DIRECT_COUNTY)

BUREAU_SUFFIXES = ("教育和体育局", "教育体育局", "教体局", "教育局")
OWN_LEVEL_SUFFIXES = ("本级", "市直", "直属")
ALIASES = {"济源市": "419001", "济源产城融合示范区": "419001"}  # its name is the notice's, 济源示范区


class UnknownRegion(ValueError):
    """A region name or code that names no reporting unit, or more than one."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str  # reporting parent
    geo_parent_code: str
    population: int
    population_source: str

    @property
    def is_reporting(self) -> bool:
        """Reports to the province directly: a city, 济源 or a direct county."""
        return self.kind in REPORTING_KINDS

    @property
    def certifies_city_level(self) -> bool:
        """Cities and 济源 certify senior-secondary and vocational kinds."""
        return self.kind in (CITY, DIRECT_ZONE)

    @property
    def certifies_county_level(self) -> bool:
        return self.kind in (COUNTY, DIRECT_COUNTY, DIRECT_ZONE)


class Units:
    """All reporting units, with lookups by code and by what people write."""

    def __init__(self, regions: list[Region]):
        self.by_code = {r.code: r for r in regions}
        ranked: dict[str, dict[int, set[str]]] = {}
        for r in regions:
            for alias, rank in ((r.name, 0), (r.short_name, _short_name_rank(r))):
                ranked.setdefault(alias, {}).setdefault(rank, set()).add(r.code)
        for alias, code in ALIASES.items():
            ranked.setdefault(alias, {}).setdefault(0, set()).add(code)
        # a name stands for the units it names first: a full name, else a city's short name
        # (安阳 is 安阳市; 安阳县 is written with its suffix), else a county's
        self._by_name = {alias: by_rank[min(by_rank)] for alias, by_rank in ranked.items()}

    def __iter__(self):
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> Region:
        return self.by_code[code]

    def reporting(self) -> list[Region]:
        """The 28 units that report to the province: 17 cities, 济源, 10 direct counties."""
        return [r for r in self if r.is_reporting]

    def children(self, code: str) -> list[Region]:
        """Units whose reporting parent is `code`."""
        return [r for r in self if r.parent_code == code]

    def reporting_root(self, code: str) -> Region:
        """The reporting unit (city, 济源 or direct county) a unit's figures roll up to."""
        region = self.by_code[code]
        while region.kind == COUNTY:
            region = self.by_code[region.parent_code]
        return region

    def resolve(self, text: object) -> str:
        """Return the code of the unit `text` names, or raise UnknownRegion saying why.

        Accepts a code (410200, also as a number or 410200.0), a full name (开封市),
        a short name (开封), a bureau name (开封市教育局, 兰考县教育体育局) and a
        unit's own level (开封市本级). A short name a city shares with a county means
        the city, as people write it: 安阳, 安阳教育局 and 安阳本级 are 安阳市.
        """
        raw = "" if text is None else str(text)
        cleaned = re.sub(r"\s+", "", raw).replace("（", "(").replace("）", ")")
        if not cleaned:
            raise UnknownRegion("地区为空")
        code = re.fullmatch(r"(\d{6})(?:\.0+)?", cleaned)
        if code:
            if code.group(1) in self.by_code:
                return code.group(1)
            raise UnknownRegion(f"地区代码“{raw}”不在河南省2020年行政区划代码中")
        for candidate in _name_candidates(cleaned):
            codes = self._by_name.get(candidate)
            if codes and len(codes) == 1:
                return next(iter(codes))
            if codes:
                listed = "、".join(f"{self.by_code[c].name}({c})" for c in sorted(codes))
                raise UnknownRegion(
                    f"地区“{raw}”有歧义，可能是 {listed}，请填写全称或地区代码")
        raise UnknownRegion(f"无法识别地区“{raw}”：不是河南省的市、县（区）名称或代码")


def _short_name_rank(region: Region) -> int:
    """How strongly a unit's short name stands for it: a city's or 济源's before a county's."""
    return 1 if region.kind in (CITY, DIRECT_ZONE, PROVINCE) else 2


def _name_candidates(name: str) -> list[str]:
    """The name itself, then with a bureau or own-level suffix taken off."""
    candidates = [name]
    stripped = re.sub(r"\(.*?\)$", "", name)
    for suffix in BUREAU_SUFFIXES + OWN_LEVEL_SUFFIXES:
        if stripped.endswith(suffix) and len(stripped) > len(suffix):
            stripped = stripped[: -len(suffix)]
            break
    if stripped != name:
        candidates.append(stripped)
    return candidates


@cache
def load_units(path: Path = UNITS_FILE) -> Units:
    with open(path, encoding="utf-8", newline="") as f:
        regions = [
            Region(
                code=row["code"], name=row["name"], short_name=row["short_name"],
                kind=row["kind"], parent_code=row["parent_code"],
                geo_parent_code=row["geo_parent_code"], population=int(row["population"]),
                population_source=row["population_source"],
            )
            for row in csv.DictReader(f)
        ]
    return Units(regions)
