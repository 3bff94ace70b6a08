"""When a stage will finish, from a unit's weekly reports, for progress that is S-shaped.

A stage's cumulative share done is taken to follow a Beta distribution function of the
share of its time gone: Beta(2, 2) is the symmetric S of 3x² − 2x³ (slow start, fast
middle, slow end); other shapes are late-heavy (a > b: slow for long, then a rush) or
front-loaded (a < b). Where a unit has sent three or more reports showing progress, the
shape that best explains them is chosen from a small grid; with fewer, the symmetric S is
assumed. The two latest reports then fix where on its curve the unit stands and how fast it
moves along it, which gives the day it reaches the end.

Times are working days counted from a fixed day; nothing here knows dates or rules.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import cache

Shape = tuple[float, float]
SYMMETRIC: Shape = (2.0, 2.0)
SHAPES: tuple[Shape, ...] = tuple((a, b) for a in (1.0, 1.5, 2.0, 3.0, 4.5) for b in (1.0, 1.5, 2.0, 3.0, 4.5))
STEPS = 1000


@cache
def _table(shape: Shape) -> tuple[float, ...]:
    """The Beta(a, b) distribution function at i/STEPS (midpoint rule), 0 at 0 and 1 at 1."""
    a, b = shape
    acc, cumulative = 0.0, [0.0]
    for i in range(STEPS):
        x = (i + 0.5) / STEPS
        acc += x ** (a - 1) * (1 - x) ** (b - 1)
        cumulative.append(acc)
    return tuple(v / acc for v in cumulative)


def share_at(shape: Shape, x: float) -> float:
    """Share of the stage done when a share `x` of its time has passed."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    table, t = _table(shape), x * STEPS
    i = int(t)
    return table[i] + (table[i + 1] - table[i]) * (t - i)


def time_at(shape: Shape, share: float) -> float:
    """The share of its time the curve needs to reach `share` (the inverse of share_at)."""
    if share <= 0:
        return 0.0
    if share >= 1:
        return 1.0
    table = _table(shape)
    i = bisect.bisect_left(table, share)
    low, high = table[i - 1], table[i]
    return (i - 1 + (share - low) / (high - low)) / STEPS


def _through(shape: Shape, first: tuple[float, float], last: tuple[float, float]) -> tuple[float, float] | None:
    """(start, length) of the curve of `shape` through two (time, share) points, if it rises between them."""
    x1, x2 = time_at(shape, first[1]), time_at(shape, last[1])
    if x2 <= x1:
        return None
    length = (last[0] - first[0]) / (x2 - x1)
    return last[0] - x2 * length, length


def finish_times(points: Sequence[tuple[float, float]],
                 not_before: float | None = None) -> tuple[float, float] | None:
    """(likely, earliest plausible) times a stage reaches its end, from (time, share) reports in
    time order — the first of them when the stage began (a report of zero, or its planned start)
    — or None if nothing can be said.

    Likely: on the shape that best explains three or more reports of progress (the symmetric S
    with fewer), through the two latest. Earliest: on any shape of the grid the reports allow —
    with few reports many shapes fit, so a late finish is called only when even the kindest of
    them is late. Near the end (from TAIL done) the tail of a curve says little: the pace between
    the two latest reports is carried to the end instead.

    `not_before`: the earliest time the stage can have begun (its planned start). A curve that
    would have had to start earlier than that (less EARLY_START) does not explain the reports:
    a unit whose progress is slow from its planned start is slow, not about to rush.
    """
    began = points[0][0]
    moving = [(t, s) for t, s in points if s > 0]
    if not moving:
        return None
    (t2, s2) = moving[-1]
    rising = len(moving) >= 2 and s2 > moving[-2][1]
    if rising and s2 >= TAIL:
        t1, s1 = moving[-2]
        finish = t2 + (1 - s2) * (t2 - t1) / (s2 - s1)
        return finish, finish
    if not rising:  # one report of progress, or none since the last: measured from when it began
        if t2 <= began:
            return None
        ends = {shape: began + (t2 - began) / time_at(shape, s2) for shape in SHAPES}
        return ends[SYMMETRIC], min(ends.values())
    fits: dict[Shape, tuple[float, float]] = {}  # shape: (squared error on the earlier reports, finish)
    for shape in SHAPES:
        fit = _through(shape, moving[-2], moving[-1])
        if fit is not None and (not_before is None or fit[0] >= not_before - EARLY_START):
            start, length = fit
            error = sum((share_at(shape, (t - start) / length) - s) ** 2 for t, s in points[:-2])
            fits[shape] = (error, start + length)
    if not fits:
        return None
    if len(moving) >= 3 or SYMMETRIC not in fits:
        likely = min(fits, key=lambda shape: (fits[shape][0], shape != SYMMETRIC))
    else:  # two reports of progress cannot tell one shape from another
        likely = SYMMETRIC
    plausible = [end for error, end in fits.values() if error <= fits[likely][0] + PLAUSIBLE]
    return fits[likely][1], min(plausible)


EARLY_START = 0.5  # working days a fitted curve may start before the stage's planned start
TAIL = 0.85  # share done from which the pace between the latest reports is carried to the end
PLAUSIBLE = 1e-4  # squared error in shares (about 1 % per report) within which a shape still fits
