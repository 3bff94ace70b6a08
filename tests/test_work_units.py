"""Who does the work: a county with sites of its own confirms its county-level applicants; the rest
falls on its reporting region (DOMAIN.md: kindergarten, primary, junior secondary are county-level)."""

from __future__ import annotations

import pytest

from domain.regions import load_units
from domain.work_units import working_unit

UNITS = load_units()
KAIFENG, QI, WEISHI, TONGXU, LANKAO = "410200", "410221", "410223", "410222", "410225"


@pytest.mark.parametrize(("code", "kind", "unit"), [
    (QI, "幼儿园", QI), (QI, "小学", QI), (QI, "初级中学", QI),  # its own sites
    (QI, "高级中学", KAIFENG), (QI, "中等职业学校专业课", KAIFENG),  # city-level kinds: the city's sites
    (QI, None, QI),  # weekly figures follow the county's own work
    (TONGXU, "小学", KAIFENG), (TONGXU, None, KAIFENG),  # no sites of its own: the city's (the assumption)
    (KAIFENG, "小学", KAIFENG), (KAIFENG, "高级中学", KAIFENG),
    (LANKAO, "小学", LANKAO),  # a direct county is its own reporting region, never 开封's
])
def test_working_unit(code, kind, unit):
    assert working_unit(code, UNITS, {QI, WEISHI, KAIFENG}, kind) == unit


def test_a_county_without_own_sites_falls_on_its_city_even_if_its_neighbours_have_them():
    assert working_unit(TONGXU, UNITS, {QI}, "幼儿园") == KAIFENG
