"""Henan's 2020 reporting units and the region-name resolver (CONTRACT §1)."""

from __future__ import annotations

import pytest

from domain.regions import Region, Units, UnknownRegion, load_units

units = load_units()

CITIES = {
    "410100": "郑州市", "410200": "开封市", "410300": "洛阳市", "410400": "平顶山市",
    "410500": "安阳市", "410600": "鹤壁市", "410700": "新乡市", "410800": "焦作市",
    "410900": "濮阳市", "411000": "许昌市", "411100": "漯河市", "411200": "三门峡市",
    "411300": "南阳市", "411400": "商丘市", "411500": "信阳市", "411600": "周口市",
    "411700": "驻马店市",
}

# Direct counties (2020) → (name, the city they sit in geographically); the city is the
# first four digits of the code + "00".
DIRECT_COUNTIES = {
    "410181": ("巩义市", "410100"), "410225": ("兰考县", "410200"),
    "410482": ("汝州市", "410400"), "410526": ("滑县", "410500"),
    "410783": ("长垣市", "410700"), "411381": ("邓州市", "411300"),
    "411481": ("永城市", "411400"), "411525": ("固始县", "411500"),
    "411628": ("鹿邑县", "411600"), "411729": ("新蔡县", "411700"),
}


# ---- the reference list -----------------------------------------------------------------

def test_unit_count():
    # 1 province + 17 cities + 济源 + 10 direct counties + 147 other county-level units = 176.
    assert len(units) == 176


def test_province():
    p = units.get("410000")
    assert p.name == "河南省"
    assert p.kind == "province"


def test_seventeen_cities_with_their_names():
    cities = {r.code: r.name for r in units if r.kind == "city"}
    assert cities == CITIES
    assert all(units.get(c).parent_code == "410000" for c in CITIES)


def test_jiyuan_is_the_direct_zone():
    j = units.get("419001")
    assert j.kind == "direct_zone"
    assert j.name == "济源示范区"  # as the notice names it
    assert j.parent_code == "410000"
    assert j.is_reporting
    assert j.certifies_city_level and j.certifies_county_level


@pytest.mark.parametrize("code", sorted(DIRECT_COUNTIES))
def test_direct_counties_report_to_the_province(code):
    name, city = DIRECT_COUNTIES[code]
    r = units.get(code)
    assert r.name == name
    assert r.kind == "direct_county"
    assert r.parent_code == "410000"        # reporting parent: the province
    assert r.geo_parent_code == city        # geographic parent: its city
    assert r.is_reporting
    assert r.certifies_county_level and not r.certifies_city_level


def test_exactly_ten_direct_counties():
    assert {r.code for r in units if r.kind == "direct_county"} == set(DIRECT_COUNTIES)


def test_reporting_units_are_28():
    # 17 cities + 济源 + 10 direct counties.
    reporting = units.reporting()
    assert len(reporting) == 28
    assert {r.code for r in reporting} == set(CITIES) | {"419001"} | set(DIRECT_COUNTIES)
    # The province's reporting children are exactly those 28.
    assert {r.code for r in units.children("410000")} == {r.code for r in reporting}


@pytest.mark.parametrize("code", sorted(DIRECT_COUNTIES))
def test_direct_county_never_among_its_geographic_citys_children(code):
    city = DIRECT_COUNTIES[code][1]
    assert code not in {r.code for r in units.children(city)}


def test_zhengzhou_children_are_its_counties_without_gongyi():
    children = {r.code for r in units.children("410100")}
    assert "410102" in children           # 中原区
    assert "410181" not in children       # 巩义市 is direct
    assert all(units.get(c).kind == "county" for c in children)


def test_each_unit_counted_once_in_the_provincial_total():
    # Walking province → reporting units → their counties reaches every unit once.
    seen = []
    for r in units.children("410000"):
        seen.append(r.code)
        seen.extend(c.code for c in units.children(r.code))
    assert len(seen) == len(set(seen)) == 175  # all but the province itself


def test_every_county_reports_to_a_city():
    for r in units:
        if r.kind == "county":
            assert units.get(r.parent_code).kind == "city", r


def test_reporting_root():
    assert units.reporting_root("410102").code == "410100"   # 中原区 → 郑州市
    assert units.reporting_root("410522").code == "410500"   # 安阳县 → 安阳市
    assert units.reporting_root("410225").code == "410225"   # 兰考县 is its own root
    assert units.reporting_root("419001").code == "419001"   # 济源
    assert units.reporting_root("410200").code == "410200"   # a city


def test_luoyang_2020_codes():
    # 2020 division codes: 吉利区, 孟津县 and 偃师市 still exist; 孟津区 (410308, from 2021) does not.
    assert units.get("410306").name == "吉利区"
    assert units.get("410322").name == "孟津县"
    assert units.get("410381").name == "偃师市"
    assert "410308" not in units.by_code
    with pytest.raises(UnknownRegion) as err:
        units.resolve("410308")
    assert "410308" in str(err.value)
    with pytest.raises(UnknownRegion):
        units.resolve("孟津区")


# ---- resolver ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["410200", 410200, "410200.0", 410200.0, " 410200 "])
def test_resolve_code_forms(text):
    assert units.resolve(text) == "410200"


@pytest.mark.parametrize("text, code", [
    ("郑州市", "410100"),
    ("郑州", "410100"),
    ("郑州市教育局", "410100"),
    ("兰考县教育体育局", "410225"),
    ("鹿邑县教体局", "411628"),
    ("开封市本级", "410200"),
    ("开封市（本级）", "410200"),
    ("郑 州 市", "410100"),
    ("郑州\n市教育局", "410100"),
    ("\t洛阳市\r\n", "410300"),
    ("济源示范区", "419001"),
    ("济源市", "419001"),
    ("济源", "419001"),
    ("滑县", "410526"),
    ("安阳市", "410500"),
    ("安阳县", "410522"),
    ("新乡市", "410700"),
    ("新乡县", "410721"),
    ("濮阳市", "410900"),
    ("濮阳县", "410928"),
    ("安阳市教育局", "410500"),
])
def test_resolve_names(text, code):
    assert units.resolve(text) == code


def test_unknown_name_names_the_text():
    with pytest.raises(UnknownRegion) as err:
        units.resolve("北京市")
    assert "北京市" in str(err.value)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_region(text):
    with pytest.raises(UnknownRegion):
        units.resolve(text)


def test_unknown_code():
    with pytest.raises(UnknownRegion) as err:
        units.resolve("110105")
    assert "110105" in str(err.value)


@pytest.mark.parametrize("text, code", [
    ("安阳", "410500"), ("新乡", "410700"), ("濮阳", "410900"),                 # a bare short name is the city
    ("安阳教育局", "410500"), ("安阳本级", "410500"), ("新乡（本级）", "410700"),
    ("濮阳 教育局", "410900"),
    ("安阳县", "410522"), ("新乡县", "410721"), ("濮阳县", "410928"),          # a county keeps its suffix
    ("安阳县教育局", "410522"), ("新乡县教育体育局", "410721"), ("濮阳县教体局", "410928"),
])
def test_short_name_shared_with_a_county_means_the_city(text, code):
    assert units.resolve(text) == code


def _unit(code: str, name: str, short_name: str, kind: str, parent: str) -> Region:
    return Region(code, name, short_name, kind, parent, parent, 1, "estimate")


def test_a_short_name_two_counties_share_is_still_ambiguous():
    """Only a city's short name wins over a county's: two counties of one short name name both codes."""
    made_up = Units([
        _unit("410000", "河南省", "河南", "province", ""),
        _unit("410100", "甲市", "甲", "city", "410000"), _unit("410200", "乙市", "乙", "city", "410000"),
        _unit("410101", "丙县", "丙", "county", "410100"), _unit("410201", "丙区", "丙", "county", "410200"),
    ])
    assert made_up.resolve("丙县") == "410101"
    with pytest.raises(UnknownRegion) as err:
        made_up.resolve("丙教育局")
    message = str(err.value)
    assert "歧义" in message and "410101" in message and "410201" in message
