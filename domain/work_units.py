"""Who does the work: the unit whose sites confirm an applicant, and whose rules judge it.

Kindergarten, primary and junior-secondary qualifications are certified by counties, the
others by cities (DOMAIN.md). A county that sent confirmation sites of its own confirms its
own county-level applicants there, and is judged as a unit of its own (R3 on its own sites'
days, R4 on its own demand against its own capacity, R5–R7 on its own weekly figures, its
R6 clock from its own last site day). Everything else in a reporting region — its own
applicants, the city-level kinds of every county, and the counties that sent no sites —
falls on the reporting region's own sites: the stated assumption where a county sent none.
Exam hospitals are assigned the same way, on the units that sent hospitals.
"""

from __future__ import annotations

from collections.abc import Collection

from domain.regions import Units

COUNTY_KINDS = frozenset({"幼儿园", "小学", "初级中学"})


def working_unit(code: str, units: Units, with_own: Collection[str], kind: str | None = None) -> str:
    """The unit that does the work for the rows of unit `code` (of qualification `kind`; None
    for rows that are not split by kind, such as weekly progress): the county itself if it
    sent its own sites (hospitals) and the kind is a county one, else its reporting region."""
    root = units.reporting_root(code).code
    if code != root and code in with_own and (kind is None or kind in COUNTY_KINDS):
        return code
    return root
