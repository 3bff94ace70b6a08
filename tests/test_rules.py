"""Rules R1–R7 against hand-worked cases from the notice (教办师〔2020〕81号).

Calendar facts used below (2020): 06-01 Mon; Dragon Boat 06-25..06-27 off, Sunday
06-28 worked; 07-01 Wed; no holidays in July/August; 08-01 Sat. Campaign 2020H1:
min confirmation 5 working days, decisions within 30 working days, final 08-20,
at-risk slack < 3 working days, at-risk utilisation > 0.9, pace window 14 days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import texts
from domain.calendar import STATUTORY
from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.rules import (
    STATE_SEVERITY,
    Level,
    Site,
    State,
    after_decisions,
    check_capacity,
    check_confirmation_length,
    check_plan,
    check_progress,
    check_record_checks,
    confirmation_working_days,
    decision_due,
    effective_decision_due,
    expected_demand,
    expected_progress,
    in_registration_window,
    missed_reports,
    queue_clear_date,
    s_curve,
    s_curve_time,
    site_capacity,
)

D = dt.date
C = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
cal = C.calendar


def test_severity_orders_worst_first():
    assert sorted(State, key=STATE_SEVERITY.__getitem__) == [
        State.OVERDUE, State.FAILS, State.PROJECTED_LATE, State.AT_RISK,
        State.DONE_LATE, State.NO_DATA, State.ON_TRACK, State.DONE]
    assert Level.ON_TRACK == "on_track"


# ---- R1: plan before announcement ----------------------------------------------------------

def test_r1_plan_before_announcement_is_done():
    a = check_plan(D(2020, 6, 1), D(2020, 6, 3), "已报送", D(2020, 6, 10), cal)
    assert a.milestone == "R1_plan"
    assert a.level == Level.DONE
    assert a.due_date == D(2020, 6, 3)
    assert a.projected_date == D(2020, 6, 1)
    assert a.reason == "r1_done"


def test_r1_plan_on_the_announcement_day_counts_as_before():
    a = check_plan(D(2020, 6, 3), D(2020, 6, 3), "已备案", D(2020, 6, 10), cal)
    assert a.level == Level.DONE


def test_r1_plan_after_announcement_is_late_with_negative_slack():
    # Announced Wed 06-03, sent Fri 06-05: late by Thu 04 and Fri 05 → slack -2.
    a = check_plan(D(2020, 6, 5), D(2020, 6, 3), "已报送", D(2020, 6, 10), cal)
    assert a.level == Level.LATE
    assert a.slack_working_days == -2
    assert a.reason == "r1_after_announcement"
    assert a.facts["days"] == 2


def test_r1_plan_after_announcement_over_the_holiday():
    # Announced Wed 06-24, sent Mon 06-29: 25–27 off, 28 (Sun, worked) and 29 → late by 2.
    a = check_plan(D(2020, 6, 29), D(2020, 6, 24), None, D(2020, 7, 1), cal)
    assert a.level == Level.LATE
    assert a.slack_working_days == -2


def test_r1_plan_after_announcement_even_if_filed():
    # Status 已备案 does not undo sending the plan after the announcement.
    a = check_plan(D(2020, 6, 8), D(2020, 6, 5), "已备案", D(2020, 6, 10), cal)
    assert a.level == Level.LATE
    assert a.slack_working_days == -1  # Mon 06-08 only (06-06, 06-07 weekend)


def test_r1_none_sent_after_announcement_is_late():
    # Announced Wed 06-03, nothing sent by Mon 06-08: Thu 04, Fri 05, Mon 08 → -3.
    a = check_plan(None, D(2020, 6, 3), "未报送", D(2020, 6, 8), cal)
    assert a.level == Level.LATE
    assert a.slack_working_days == -3
    assert a.projected_date is None
    assert a.reason == "r1_missing_after_announcement"


def test_r1_none_sent_and_no_announcement_yet_is_on_track():
    a = check_plan(None, None, "未报送", D(2020, 6, 8), cal)
    assert a.level == Level.ON_TRACK
    assert a.reason == "r1_waiting"


def test_r1_no_data():
    a = check_plan(None, None, None, D(2020, 6, 8), cal)
    assert a.level == Level.NO_DATA
    assert a.reason == "r1_no_data"


def test_r1_returned_for_revision_is_at_risk():
    a = check_plan(D(2020, 6, 1), D(2020, 6, 3), "退回修改", D(2020, 6, 10), cal)
    assert a.level == Level.AT_RISK
    assert a.reason == "r1_returned"


def test_r1_announcement_after_as_of_is_not_yet_announced():
    # Announcement planned for 06-15, as of 06-10 nothing sent: not broken yet.
    a = check_plan(None, D(2020, 6, 15), "未报送", D(2020, 6, 10), cal)
    assert a.level == Level.ON_TRACK
    # Plan sent 06-01, announcement still to come: done.
    b = check_plan(D(2020, 6, 1), D(2020, 6, 15), "已报送", D(2020, 6, 10), cal)
    assert b.level == Level.DONE


def test_r1_plan_dated_after_as_of_is_not_yet_sent():
    # As of Mon 06-08 the announcement (Fri 06-05) is out and the plan dated 06-12 has not
    # happened yet: missing after the announcement, late by Mon 06-08 → -1.
    a = check_plan(D(2020, 6, 12), D(2020, 6, 5), "已报送", D(2020, 6, 8), cal)
    assert a.level == Level.LATE
    assert a.reason == "r1_missing_after_announcement"
    assert a.slack_working_days == -1
    # As of 06-15 the same file shows a plan sent after the announcement: Mon 08..Fri 12 → -5.
    b = check_plan(D(2020, 6, 12), D(2020, 6, 5), "已报送", D(2020, 6, 15), cal)
    assert b.level == Level.LATE
    assert b.reason == "r1_after_announcement"
    assert b.slack_working_days == -5


# ---- R2: registration window ---------------------------------------------------------------

@pytest.mark.parametrize("day, inside", [
    (D(2020, 6, 7), False),
    (D(2020, 6, 8), True),     # first day
    (D(2020, 6, 25), True),    # a holiday, but inside the window
    (D(2020, 6, 30), True),    # last day
    (D(2020, 7, 1), False),
])
def test_r2_registration_window_boundaries(day, inside):
    assert in_registration_window(day, C) is inside


# ---- R3: confirmation length -------------------------------------------------------------------

def test_r3_seven_calendar_days_over_the_holiday_is_too_short():
    # 06-24..06-30: 24 ✓, 25–27 ✗, 28 ✓ (Sun 调休), 29 ✓, 30 ✓ → 4 working days < 5.
    periods = [(D(2020, 6, 24), D(2020, 6, 30))]
    assert confirmation_working_days(periods, cal) == 4
    a = check_confirmation_length(periods, C, D(2020, 6, 20))
    assert a.level == Level.LATE
    assert a.slack_working_days == -1
    assert a.projected_date == D(2020, 6, 30)
    # Earliest end giving 5 working days from 06-24: 24, 28, 29, 30, 07-01 → 07-01.
    assert a.due_date == D(2020, 7, 1)
    assert a.facts["days"] == 4 and a.facts["min"] == 5
    assert a.reason == "r3_too_short"


def test_r3_five_working_days_done_once_over():
    # 07-01..07-07: Wed, Thu, Fri, (Sat, Sun), Mon, Tue → 5 working days.
    periods = [(D(2020, 7, 1), D(2020, 7, 7))]
    a = check_confirmation_length(periods, C, D(2020, 7, 8))
    assert a.level == Level.DONE
    assert a.slack_working_days == 0
    assert a.due_date == D(2020, 7, 7)


def test_r3_five_working_days_on_track_before_it_ends():
    periods = [(D(2020, 7, 1), D(2020, 7, 7))]
    a = check_confirmation_length(periods, C, D(2020, 7, 3))
    assert a.level == Level.ON_TRACK
    assert a.slack_working_days == 0
    # On its last day it is done.
    assert check_confirmation_length(periods, C, D(2020, 7, 7)).level == Level.DONE


def test_r3_union_of_two_overlapping_sites():
    # Site A 07-01..07-03 (3), site B 07-02..07-07 (4); union 07-01..07-07 = 5, not 7.
    periods = [(D(2020, 7, 1), D(2020, 7, 3)), (D(2020, 7, 2), D(2020, 7, 7))]
    a = check_confirmation_length(periods, C, D(2020, 7, 10))
    assert a.facts["days"] == 5
    assert a.slack_working_days == 0
    assert a.level == Level.DONE


def test_r3_two_overlapping_short_sites_stay_short():
    # A 07-01..07-02 (2), B 07-02..07-03 (2): union 07-01..07-03 = 3 (sum would be 4).
    periods = [(D(2020, 7, 1), D(2020, 7, 2)), (D(2020, 7, 2), D(2020, 7, 3))]
    a = check_confirmation_length(periods, C, D(2020, 7, 10))
    assert a.level == Level.LATE
    assert a.facts["days"] == 3
    assert a.slack_working_days == -2


def test_r3_starting_on_a_holiday():
    # 06-25..07-02: 25–27 off; 28, 29, 30, 07-01, 07-02 → 5; due counts from Sun 06-28:
    # 28 (1), 29 (2), 30 (3), 07-01 (4), 07-02 (5).
    a = check_confirmation_length([(D(2020, 6, 25), D(2020, 7, 2))], C, D(2020, 7, 3))
    assert a.facts["days"] == 5
    assert a.due_date == D(2020, 7, 2)
    assert a.level == Level.DONE


def test_r3_no_periods_is_no_data():
    a = check_confirmation_length([], C, D(2020, 7, 3))
    assert a.level == Level.NO_DATA


# ---- R4: capacity -----------------------------------------------------------------------------------

SITE = Site(D(2020, 7, 1), D(2020, 7, 7), windows=2, per_window=60)  # 120 a day, 5 days → 600


def test_r4_site_capacity():
    # 5 working days × 2 windows × 60 = 600.
    assert site_capacity(SITE, cal) == 600
    # 06-24..06-30: 4 working days × 3 × 50 = 600 (not 7 × 150 = 1050).
    assert site_capacity(Site(D(2020, 6, 24), D(2020, 6, 30), 3, 50), cal) == 600
    # Entirely within the holiday: nothing.
    assert site_capacity(Site(D(2020, 6, 25), D(2020, 6, 27), 4, 60), cal) == 0


def test_r4_queue_clear_date_within_the_period():
    # Cumulative: 07-01 120, 07-02 240, 07-03 360, 07-06 480, 07-07 600.
    assert queue_clear_date(480, [SITE], cal) == D(2020, 7, 6)
    assert queue_clear_date(481, [SITE], cal) == D(2020, 7, 7)
    assert queue_clear_date(120, [SITE], cal) == D(2020, 7, 1)


def test_r4_queue_clear_date_with_two_sites():
    # A 07-01..07-03 at 100/day, B 07-02..07-07 at 50/day:
    # 07-01 100, 07-02 250, 07-03 400 → 300 is reached on 07-03.
    sites = [Site(D(2020, 7, 1), D(2020, 7, 3), 1, 100), Site(D(2020, 7, 2), D(2020, 7, 7), 1, 50)]
    assert queue_clear_date(300, sites, cal) == D(2020, 7, 3)
    # 07-06 450, 07-07 500 → 500 on 07-07.
    assert queue_clear_date(500, sites, cal) == D(2020, 7, 7)


def test_r4_queue_clear_date_beyond_the_period():
    # 1000 against 600: 400 left at the average 120/day → ceil(3.33) = 4 working days
    # after Tue 07-07: Wed 08, Thu 09, Fri 10, Mon 13.
    assert queue_clear_date(1000, [SITE], cal) == D(2020, 7, 13)
    # 700: 100 left → 1 day → 07-08.
    assert queue_clear_date(700, [SITE], cal) == D(2020, 7, 8)


def test_r4_queue_clear_date_edge_cases():
    assert queue_clear_date(100, [], cal) is None
    assert queue_clear_date(0, [SITE], cal) == D(2020, 7, 1)
    assert queue_clear_date(100, [Site(D(2020, 7, 1), D(2020, 7, 7), 0, 60)], cal) is None


def test_r4_over_capacity_is_late():
    # 700 / 600 = 1.17 > 1; projected 07-08, one working day after the end 07-07.
    a = check_capacity(700, [SITE], C, D(2020, 6, 20))
    assert a.milestone == "R4_capacity"
    assert a.level == Level.LATE
    assert a.facts["capacity"] == 600
    assert a.facts["utilisation"] == pytest.approx(700 / 600)
    assert a.due_date == D(2020, 7, 7)
    assert a.projected_date == D(2020, 7, 8)
    assert a.slack_working_days == -1


def test_r4_tight_capacity_is_at_risk():
    # 570 / 600 = 0.95 > 0.9; cleared on 07-07 (480 on 07-06) → slack 0.
    a = check_capacity(570, [SITE], C, D(2020, 6, 20))
    assert a.level == Level.AT_RISK
    assert a.projected_date == D(2020, 7, 7)
    assert a.slack_working_days == 0


def test_r4_full_capacity_is_at_risk_not_late():
    # 600 / 600 = 1.0: not over, but above 0.9.
    assert check_capacity(600, [SITE], C, D(2020, 6, 20)).level == Level.AT_RISK


def test_r4_ok_capacity_is_on_track():
    # 300 / 600 = 0.5; 120, 240, 360 → cleared 07-03; spare Mon 06, Tue 07 → slack 2.
    a = check_capacity(300, [SITE], C, D(2020, 6, 20))
    assert a.level == Level.ON_TRACK
    assert a.projected_date == D(2020, 7, 3)
    assert a.slack_working_days == 2
    # Exactly at the 0.9 threshold (540/600) is still fine.
    assert check_capacity(540, [SITE], C, D(2020, 6, 20)).level == Level.ON_TRACK


def test_r4_done_when_confirmed_reaches_demand():
    # Even an over-capacity plan is done once everyone is confirmed.
    a = check_capacity(700, [SITE], C, D(2020, 7, 10), done_so_far=700)
    assert a.level == Level.DONE
    assert check_capacity(700, [SITE], C, D(2020, 7, 10), done_so_far=699).level == Level.LATE


def test_r4_no_sites_or_no_demand_is_no_data():
    assert check_capacity(700, [], C, D(2020, 6, 20)).level == Level.NO_DATA
    assert check_capacity(None, [SITE], C, D(2020, 6, 20)).level == Level.NO_DATA


def test_r4_zero_capacity_is_late():
    a = check_capacity(100, [Site(D(2020, 6, 25), D(2020, 6, 27), 2, 60)], C, D(2020, 6, 20))
    assert a.level == Level.LATE
    assert a.projected_date is None


def test_r4_threshold_comes_from_the_campaign():
    # With at_risk_utilisation 0.5 the 0.5-loaded plan is fine and 0.55 is tight.
    c = dataclasses.replace(C, risk=dataclasses.replace(C.risk, at_risk_utilisation=0.5))
    assert check_capacity(300, [SITE], c, D(2020, 6, 20)).level == Level.ON_TRACK
    assert check_capacity(330, [SITE], c, D(2020, 6, 20)).level == Level.AT_RISK


# ---- R6 / R7 due dates ---------------------------------------------------------------------------

def test_r6_decision_due_and_bounded_by_r7():
    # Confirmation ends Fri 07-10; 30 working days later is Fri 08-21 (see test_calendar),
    # but R7 says everything is finished by 08-20.
    assert decision_due(D(2020, 7, 10), C) == D(2020, 8, 21)
    assert effective_decision_due(D(2020, 7, 10), C) == D(2020, 8, 20)


def test_r6_decision_due_before_final_date_is_unchanged():
    # Ends Tue 06-30: 30 working days → 07-01..03 (3), 06..10 (8), 13..17 (13), 20..24 (18),
    # 27..31 (23), 08-03..07 (28), 10 (29), 11 (30) → Tue 08-11.
    assert decision_due(D(2020, 6, 30), C) == D(2020, 8, 11)
    assert effective_decision_due(D(2020, 6, 30), C) == D(2020, 8, 11)


def test_r6_decision_due_over_the_dragon_boat_holiday():
    # Ends Wed 06-24: 28 (1), 29 (2), 30 (3), 07-01..03 (6), 06..10 (11), 13..17 (16),
    # 20..24 (21), 27..31 (26), 08-03 (27), 04 (28), 05 (29), 06 (30) → Thu 08-06.
    assert decision_due(D(2020, 6, 24), C) == D(2020, 8, 6)


# ---- projection on S-shaped progress ---------------------------------------------------------------
# Stage 07-10 (Fri) → due 08-20 (Thu): working days 07-11..08-20 = 5 + 5 + 5 + 5 + 5 + 4 = 29 (no holidays
# in July or August 2020). Tolerance before a miss reads 预计逾期: max(3, ceil(0.15 × 29) = 5) = 5 days.

DUE = D(2020, 8, 20)  # Thursday
STAGE_START = D(2020, 7, 10)


def _r6(history, as_of, target=1000, due=DUE, stage_start=STAGE_START, campaign=C):
    return check_progress("R6_decisions", history, target, due, stage_start, campaign, as_of)


def test_s_curve_and_its_inverse():
    assert s_curve(0) == 0 and s_curve(1) == 1 and s_curve(0.5) == 0.5
    assert s_curve(0.2) == pytest.approx(0.104)  # 3(0.04) − 2(0.008): slow at first
    for x in (0.1, 0.3, 0.5, 0.8, 0.95):
        assert s_curve_time(s_curve(x)) == pytest.approx(x)


def test_half_done_at_half_time_is_on_the_curve():
    # 07-31: 500/1000 → half the curve → half its time. 07-11..07-31 = 15 working days, so the whole
    # stage takes 30: 15 more after 07-31 → 08-03..07 (5), 10..14 (10), 17..21 (15) → 08-21, one day
    # after the due date: within the tolerance, so 有风险 (slack −1 < 3), not 预计逾期.
    a = _r6([(D(2020, 7, 24), 250), (D(2020, 7, 31), 500)], D(2020, 7, 31))
    assert a.projected_date == D(2020, 8, 21)
    assert a.slack_working_days == -1
    assert a.state == State.AT_RISK and a.level == Level.AT_RISK
    assert a.reason == "r6_tight"


def test_far_behind_the_curve_is_projected_late():
    # 07-24: 120, 07-31: 200 of 1000. On the S: s_curve_time(0.12) = 0.2162, s_curve_time(0.2) = 0.2871,
    # 0.0709 of the curve in 5 working days → 70 days for the whole, 50 more: weeks after 08-20. Even on
    # the kindest shape (a late rush, Beta(4.5, 1): x = share^(1/4.5), 0.624 → 0.699 in 5 days, 20 more
    # → 08-28) it is late: 预计逾期.
    a = _r6([(D(2020, 7, 24), 120), (D(2020, 7, 31), 200)], D(2020, 7, 31))
    assert a.state == State.PROJECTED_LATE and a.level == Level.LATE
    assert a.projected_date > D(2020, 9, 30) and a.reason == "r6_late"


def test_behind_on_the_s_but_in_time_on_another_shape_is_at_risk_not_late():
    # 07-24: 100, 07-31: 300 of 1000: on the S, s_curve_time 0.1958 → 0.3633 in 5 days, 29.9 for the
    # whole, 19.02 more → 20 working days after 07-31 → 08-28, 6 days late (beyond the tolerance of 5).
    # A late rush (Beta(4.5, 1)) fits the same two reports and finishes 08-12: two reports cannot tell
    # which, so this is 有风险, not 预计逾期.
    a = _r6([(D(2020, 7, 24), 100), (D(2020, 7, 31), 300)], D(2020, 7, 31))
    assert a.state == State.AT_RISK and a.reason == "r6_tight"
    assert a.projected_date == D(2020, 8, 28) and a.slack_working_days == -6


def test_three_reports_choose_the_shape():
    # A unit on a late rush (Beta(4.5, 1), share = x^4.5) from 07-10 that finishes on 08-14 (25 working
    # days): its reports at 10, 15 and 20 days lie on that curve, not on the S, so the finish is
    # projected on it and the unit is on track.
    share = [(10 / 25) ** 4.5, (15 / 25) ** 4.5, (20 / 25) ** 4.5]
    history = [(D(2020, 7, 24), round(1000 * share[0])), (D(2020, 7, 31), round(1000 * share[1])),
               (D(2020, 8, 7), round(1000 * share[2]))]
    a = _r6(history, D(2020, 8, 7))
    assert a.state == State.ON_TRACK
    assert abs((a.projected_date - D(2020, 8, 14)).days) <= 1


def test_a_slow_first_week_is_not_called_late():
    # 07-17: 60/1000 after 5 of 29 working days — a straight line would finish in September; on the
    # S-curve it is a little behind (有风险), not 预计逾期. With 40/1000 (under min_share_to_project) it
    # is too little to project from, and too early to worry (5/29 < 0.3).
    a = _r6([(D(2020, 7, 10), 0), (D(2020, 7, 17), 60)], D(2020, 7, 17))
    assert a.state == State.AT_RISK and a.reason == "r6_tight"
    assert D(2020, 8, 20) < a.projected_date < D(2020, 9, 1)
    a = _r6([(D(2020, 7, 10), 0), (D(2020, 7, 17), 40)], D(2020, 7, 17))
    assert a.state == State.ON_TRACK and a.reason == "r6_early" and a.projected_date is None


def test_a_unit_slow_from_its_planned_start_is_not_taken_for_a_late_rush():
    # 周口 in the demo: decisions planned from 07-09, 66 then 483 of 7,751 (6 %) by 07-17. A late rush
    # (share = x^4.5) could explain two reports only had it begun a week before 07-09: not plausible,
    # so even the kindest curve is late → 预计逾期. Without a planned start the rush stays plausible.
    history = [(D(2020, 7, 3), 0), (D(2020, 7, 10), 66), (D(2020, 7, 17), 483)]
    a = _r6(history, D(2020, 7, 17), target=7751, stage_start=D(2020, 7, 9))
    assert a.state == State.PROJECTED_LATE and a.reason == "r6_late" and a.projected_date > D(2020, 9, 1)
    a = _r6(history, D(2020, 7, 17), target=7751, stage_start=None)
    assert a.state == State.AT_RISK
    # ...and one that showed progress before its planned start began early: the bound does not apply.
    early = [(D(2020, 7, 3), 5), (D(2020, 7, 10), 66), (D(2020, 7, 17), 483)]
    assert _r6(early, D(2020, 7, 17), target=7751, stage_start=D(2020, 7, 9)).state == State.AT_RISK


def test_certificates_cannot_finish_before_the_decisions_do():
    # R7 on its own looks fine (nothing to issue yet is not late); R6 projected to finish after R7's due
    # date makes R7 预计逾期 too, naming when the decisions will be done.
    history = [(D(2020, 7, 3), 0), (D(2020, 7, 10), 66), (D(2020, 7, 17), 483)]
    decisions = _r6(history, D(2020, 7, 17), target=7751, stage_start=D(2020, 7, 9))
    final = check_progress("R7_final", [(D(2020, 7, 17), 0)], 7700, D(2020, 8, 20), D(2020, 7, 9), C,
                           D(2020, 7, 17))
    assert final.state == State.ON_TRACK
    chained = after_decisions(final, decisions, D(2020, 7, 17))
    assert chained.state == State.PROJECTED_LATE and chained.reason == "r7_after_r6"
    assert chained.facts["decisions_by"] == decisions.projected_date
    assert f"认定结论预计 {decisions.projected_date} 才能全部作出" in texts.reason("周口市", chained.reason,
                                                                           chained.facts)
    # decisions on track, or late against their own earlier due date but done before R7's: R7 stands.
    on_time = _r6([(D(2020, 7, 10), 0), (D(2020, 7, 17), 120)], D(2020, 7, 17))
    assert after_decisions(final, on_time, D(2020, 7, 17)) is final
    early_due = dataclasses.replace(decisions, projected_date=D(2020, 8, 19))
    assert after_decisions(final, early_due, D(2020, 7, 17)) is final
    # decisions overdue while R7's due date is still ahead: R7 can still make it.
    overdue = dataclasses.replace(decisions, state=State.OVERDUE, due_date=D(2020, 8, 11), projected_date=None)
    assert after_decisions(final, overdue, D(2020, 8, 12)) is final
    undated = after_decisions(final, overdue, D(2020, 8, 20))
    assert undated.state == State.PROJECTED_LATE and undated.reason == "r7_after_r6_undated"
    assert "认定结论无法在 2020-08-20 前全部作出" in texts.reason("周口市", undated.reason, undated.facts)


def test_too_little_done_halfway_is_at_risk_and_later_projected_late():
    # 40/1000 on 07-31 (15/29 of the time gone) is 有风险; on 08-07 (20/29 ≥ 0.6) 预计逾期.
    assert _r6([(D(2020, 7, 31), 40)], D(2020, 7, 31)).reason == "r6_slow_start"
    assert _r6([(D(2020, 7, 31), 40)], D(2020, 7, 31)).state == State.AT_RISK
    late = _r6([(D(2020, 7, 31), 40), (D(2020, 8, 7), 40)], D(2020, 8, 7))
    assert late.state == State.PROJECTED_LATE and late.reason == "r6_far_behind"


def test_a_stage_that_started_late_is_measured_from_when_it_started():
    # Nothing until the 07-31 report, 500 on 08-07: began 07-31, 5 working days for half the curve,
    # 5 more → 08-14; slack 08-17..20 = 4 → on track, though a line from 07-10 would call it late.
    history = [(D(2020, 7, 17), 0), (D(2020, 7, 24), 0), (D(2020, 7, 31), 0), (D(2020, 8, 7), 500)]
    a = _r6(history, D(2020, 8, 7))
    assert a.state == State.ON_TRACK and a.projected_date == D(2020, 8, 14) and a.slack_working_days == 4


def test_projection_ignores_reports_after_as_of():
    history = [(D(2020, 7, 24), 250), (D(2020, 7, 31), 500), (D(2020, 8, 7), 1000)]
    assert _r6(history, D(2020, 7, 31)).projected_date == D(2020, 8, 21)
    assert _r6(history, D(2020, 8, 7)).state == State.DONE


def test_progress_done_in_time():
    # Target reached in the 08-07 report; slack 08-10..14 (5) + 17..20 (4) = 9.
    a = _r6([(D(2020, 7, 31), 600), (D(2020, 8, 7), 1000)], D(2020, 8, 10))
    assert a.state == State.DONE and a.level == Level.DONE
    assert a.projected_date == D(2020, 8, 7) and a.slack_working_days == 9
    assert a.reason == "r6_done"


def test_a_late_finish_is_not_done():
    # Due Tue 08-11; the 08-14 report still shows 900/1000, the 08-21 report 1000: 逾期完成, level late,
    # the finish shown in the first report that had it, 08-21 (08-12..14, 17..21 = 8 working days late).
    a = _r6([(D(2020, 8, 14), 900), (D(2020, 8, 21), 1000)], D(2020, 8, 21), due=D(2020, 8, 11))
    assert a.state == State.DONE_LATE and a.level == Level.LATE
    assert a.projected_date == D(2020, 8, 21) and a.slack_working_days == -8
    assert a.reason == "r6_done_late"


def test_a_finish_first_seen_in_the_report_after_the_due_date_is_not_called_late():
    # Due Thu 08-20; 900 on 08-14, 1000 in the 08-21 report: it may have finished on 08-19. Weekly
    # reports cannot tell, so it is done — said as done by 08-21 — not 逾期完成.
    a = _r6([(D(2020, 8, 14), 900), (D(2020, 8, 21), 1000)], D(2020, 8, 21))
    assert a.state == State.DONE and a.reason == "r6_done_by" and a.facts["by"] == D(2020, 8, 21)


def test_past_the_due_date_unfinished_is_overdue():
    # As of Fri 08-21, due Thu 08-20, 900/1000: 已逾期 by one working day, 100 left.
    a = _r6([(D(2020, 8, 14), 850), (D(2020, 8, 21), 900)], D(2020, 8, 21))
    assert a.state == State.OVERDUE and a.slack_working_days == -1
    assert a.facts["left"] == 100 and a.reason == "r6_overdue"


def test_the_word_overdue_only_after_the_due_date():
    """Weeks before the deadline, a unit behind is 预计逾期 at worst — never 已逾期."""
    for as_of in (D(2020, 7, 17), D(2020, 7, 24), D(2020, 7, 31), D(2020, 8, 7), D(2020, 8, 14), D(2020, 8, 20)):
        a = _r6([(as_of, 1)], as_of)
        assert a.state != State.OVERDUE
    assert _r6([(D(2020, 8, 21), 1)], D(2020, 8, 21)).state == State.OVERDUE


def test_stale_data_is_at_risk_and_says_how_old():
    # Last report 07-10 (200/1000), as of 07-24: 14 days silent (> 7), not projected from old data.
    a = _r6([(D(2020, 7, 10), 200)], D(2020, 7, 24), stage_start=D(2020, 7, 3))
    assert a.state == State.AT_RISK and a.reason == "r6_stale"
    assert a.facts["data_as_of"] == D(2020, 7, 10) and a.facts["silent_days"] == 14
    # Past the due date too: old data cannot tell whether it finished — 有风险, saying how old.
    b = _r6([(D(2020, 7, 10), 200)], D(2020, 8, 21), stage_start=D(2020, 7, 3))
    assert b.state == State.AT_RISK and b.facts["silent_days"] == 42 and b.reason == "r6_stale"


def test_a_stage_planned_after_its_due_date_is_flagged_the_day_it_is_known():
    # Confirmation ends 08-31, after the final date 08-20: decisions cannot be made in time, whatever
    # the reports say, from the first day.
    a = _r6([], D(2020, 6, 8), due=D(2020, 8, 20), stage_start=D(2020, 8, 31))
    assert a.state == State.PROJECTED_LATE and a.reason == "r6_impossible"


def test_silence_escalates():
    assert _r6([], D(2020, 7, 1)).state == State.NO_DATA  # not started, nothing due
    assert _r6([], D(2020, 7, 24)).state == State.AT_RISK  # started, nothing reported
    assert _r6([], D(2020, 7, 24)).reason == "r6_silent"
    assert _r6([], D(2020, 8, 21)).state == State.OVERDUE  # due date passed, nothing reported
    # No target or no due date: nothing to judge against.
    assert _r6([(D(2020, 7, 31), 500)], D(2020, 7, 31), target=None).state == State.NO_DATA
    assert _r6([(D(2020, 7, 31), 500)], D(2020, 7, 31), due=None).state == State.NO_DATA


def test_progress_not_yet_started_is_on_track():
    a = _r6([(D(2020, 7, 3), 0)], D(2020, 7, 3), stage_start=D(2020, 7, 10))
    assert a.state == State.ON_TRACK and a.reason == "r6_not_started"


def test_thresholds_come_from_the_campaign():
    # The far-behind case is 预计逾期 with the campaign's tolerance; with a tolerance of five stages'
    # length it is only 有风险; with a minimum share to project of 0.25 it is not projected at all.
    history = [(D(2020, 7, 24), 120), (D(2020, 7, 31), 200)]
    lenient = dataclasses.replace(C, risk=dataclasses.replace(C.risk, projection_tolerance=5.0))
    assert _r6(history, D(2020, 7, 31), campaign=lenient).state == State.AT_RISK
    cautious = dataclasses.replace(C, risk=dataclasses.replace(C.risk, min_share_to_project=0.25))
    assert _r6(history, D(2020, 7, 31), campaign=cautious).reason == "r6_slow_start"


def test_expected_progress_is_the_curve_that_finishes_on_the_due_date():
    curve = expected_progress(STAGE_START, DUE, 1000, cal)
    assert curve[0] == (STAGE_START, 0) and curve[-1] == (DUE, 1000)
    assert len(curve) == 30  # the start and the 29 working days after it
    assert dict(curve)[D(2020, 7, 31)] == round(1000 * s_curve(15 / 29))


# ---- R5: record checks before decisions ------------------------------------------------------------

def test_r5_more_decisions_than_checks_fails():
    a = check_record_checks([(D(2020, 7, 24), 300)], decided=350, confirmed=1000,
                            due=D(2020, 8, 20), stage_start=D(2020, 7, 10), campaign=C,
                            as_of=D(2020, 7, 24))
    assert a.milestone == "R5_record_checks"
    assert a.state == State.FAILS and a.level == Level.LATE
    assert a.reason == "r5_decisions_first"
    assert a.facts == {"checked": 300, "decided": 350}


def test_r5_checks_judged_like_any_stage():
    # Same figures as the half-done R6 case: projected 08-21, slack −1 → at risk.
    a = check_record_checks([(D(2020, 7, 24), 250), (D(2020, 7, 31), 500)], decided=400,
                            confirmed=1000, due=D(2020, 8, 20), stage_start=D(2020, 7, 10),
                            campaign=C, as_of=D(2020, 7, 31))
    assert a.state == State.AT_RISK and a.projected_date == D(2020, 8, 21)
    assert a.reason == "r5_tight"


def test_r5_decisions_equal_to_checks_is_fine():
    a = check_record_checks([(D(2020, 7, 31), 1000)], decided=1000, confirmed=1000,
                            due=D(2020, 8, 20), stage_start=D(2020, 7, 10), campaign=C,
                            as_of=D(2020, 7, 31))
    assert a.level == Level.DONE


def test_r5_later_checks_do_not_excuse_earlier_decisions():
    # The check count dated after as_of is not known yet: 300 checked vs 350 decided.
    history = [(D(2020, 7, 24), 300), (D(2020, 7, 31), 800)]
    a = check_record_checks(history, decided=350, confirmed=1000, due=D(2020, 8, 20),
                            stage_start=None, campaign=C, as_of=D(2020, 7, 24))
    assert a.level == Level.LATE


def test_r7_final_milestone():
    # Certificates issued 07-24: 150, 07-31: 400 of 1000, from 07-10, due 08-20: on the S,
    # s_curve_time 0.2444 → 0.4329 in 5 days, 26.5 for the whole, 15.04 more → 16 working days after
    # 07-31 → 08-24: 2 days late, within the tolerance (5) → 有风险, said as R7.
    a = check_progress("R7_final", [(D(2020, 7, 24), 150), (D(2020, 7, 31), 400)], 1000,
                       C.final_date, D(2020, 7, 10), C, D(2020, 7, 31))
    assert a.milestone == "R7_final"
    assert a.state == State.AT_RISK
    assert a.due_date == D(2020, 8, 20)
    assert a.projected_date == D(2020, 8, 24) and a.slack_working_days == -2
    assert a.reason == "r7_tight"


def test_statutory_calendar_is_the_campaigns():
    assert cal.is_working_day(D(2020, 6, 28)) == STATUTORY.is_working_day(D(2020, 6, 28))


def test_progress_with_nothing_to_decide_has_not_started():
    # Before confirmation starts nobody is confirmed (target 0): the stage has not begun,
    # which is on track — not done, and never a made-up projection.
    a = _r6([(D(2020, 6, 19), 0)], D(2020, 6, 19), target=0, stage_start=D(2020, 7, 10))
    assert a.level == Level.ON_TRACK and a.reason == "r6_not_started" and a.projected_date is None
    # After the stage should have started, still nobody confirmed: something is wrong.
    b = _r6([(D(2020, 7, 24), 0)], D(2020, 7, 24), target=0, stage_start=D(2020, 7, 10))
    assert b.level == Level.AT_RISK and b.reason == "r6_nothing_to_do"


def test_progress_far_beyond_the_horizon_is_projected_late_without_a_date():
    # 150/1000 after 15 working days: the curve says 15 / s_curve_time(0.15) ≈ 61 days, within the
    # horizon; 101/1000 after 20: ≈ 83; both late. A date past 120 working days is not given.
    a = _r6([(D(2020, 7, 31), 101)], D(2020, 7, 31), stage_start=D(2020, 4, 1))
    assert a.state == State.PROJECTED_LATE and a.projected_date is None


# ---- silence -----------------------------------------------------------------------------------------

def test_missed_reports_once_silent_for_longer_than_allowed():
    # Reports are due each Friday; last one 07-10. On 07-17 a week has passed (7 days, not > 7): nothing
    # yet. On 07-24, 14 days: 07-17 and 07-24 missed.
    assert missed_reports(D(2020, 7, 10), C, D(2020, 7, 17)) == []
    assert missed_reports(D(2020, 7, 10), C, D(2020, 7, 24)) == [D(2020, 7, 17), D(2020, 7, 24)]
    assert len(missed_reports(None, C, D(2020, 6, 26))) == 3  # never reported: 06-12, 06-19, 06-26


def test_r4_done_once_the_period_ended_within_capacity():
    # 300 of 600 capacity, period 07-01..07-07 over by 07-08: confirmation capacity sufficed.
    assert check_capacity(300, [SITE], C, D(2020, 7, 8)).level == Level.DONE
    # Over capacity stays late after the period: the rule was broken.
    assert check_capacity(700, [SITE], C, D(2020, 7, 8)).level == Level.LATE
    # On the last day itself it is not over yet.
    assert check_capacity(300, [SITE], C, D(2020, 7, 7)).level == Level.ON_TRACK


# ---- the words: 逾期完成 / 已逾期 / 不达标, judged in domain ---------------------------------------------

def test_r1_plan_after_announcement_is_a_late_finish_with_calendar_days():
    # Announced Fri 06-05, plan sent Sat 06-06: no working day between, but one calendar day late.
    a = check_plan(D(2020, 6, 6), D(2020, 6, 5), "已报送", D(2020, 6, 10), cal)
    assert a.state == State.DONE_LATE and a.level == Level.LATE
    assert a.facts["days"] == 0 and a.facts["calendar_days"] == 1


def test_r1_neither_plan_nor_announcement_once_registration_opened_is_overdue():
    # The plan precedes the announcement, which precedes registration (06-08).
    before = check_plan(None, None, None, D(2020, 6, 7), cal, C.registration_start)
    assert before.state == State.NO_DATA
    a = check_plan(None, None, None, D(2020, 6, 10), cal, C.registration_start)
    assert a.state == State.OVERDUE and a.reason == "r1_missing_after_opening"
    assert a.facts["days"] == 3  # 06-08, 09, 10
    assert check_plan(None, None, "未报送", D(2020, 6, 10), cal, C.registration_start).state == State.OVERDUE


def test_r3_counts_only_days_while_the_system_is_open():
    # Sites 08-24..08-31 are after the information system closes (08-20 in the campaign file): 0 days.
    a = check_confirmation_length([(D(2020, 8, 24), D(2020, 8, 31))], C, D(2020, 7, 24))
    assert a.state == State.FAILS and a.reason == "r3_outside_system"
    assert a.facts["days"] == 0 and a.facts["outside"] == 6


def test_r3_too_short_fails():
    a = check_confirmation_length([(D(2020, 6, 29), D(2020, 6, 30)), (D(2020, 7, 9), D(2020, 7, 10))], C,
                                  D(2020, 6, 1))
    assert a.state == State.FAILS and a.facts["days"] == 4


def test_expected_demand_projects_before_registration_closes():
    # 100 a day from 06-08: on 06-13 (6 days) too early, the 600 so far; on 06-14 (7 days) 700 carried
    # over the window's 23 days → 2,300; after 06-30 what registered.
    daily = {D(2020, 6, 8) + dt.timedelta(days=i): 100 for i in range(23)}
    assert expected_demand(daily, C, D(2020, 6, 13)) == (600, "so_far")
    assert expected_demand(daily, C, D(2020, 6, 14)) == (2300, "projected")
    assert expected_demand(daily, C, D(2020, 7, 1)) == (2300, "registered")
    assert expected_demand({}, C, D(2020, 6, 14)) == (None, "none")


def test_r4_over_capacity_on_projected_demand_is_projected_to_fail():
    a = check_capacity(700, [SITE], C, D(2020, 6, 20), basis="projected")
    assert a.state == State.PROJECTED_LATE and a.level == Level.LATE
    assert check_capacity(700, [SITE], C, D(2020, 6, 20)).state == State.FAILS


def test_exam_capacity_is_its_own_milestone():
    a = check_capacity(700, [SITE], C, D(2020, 6, 20), milestone="R4_exam_capacity")
    assert a.milestone == "R4_exam_capacity" and a.reason == "r4e_over"


def test_no_sites_after_registration_closes_is_at_risk_when_there_are_applicants():
    assert check_confirmation_length([], C, D(2020, 6, 30), has_applicants=True).state == State.NO_DATA
    a = check_confirmation_length([], C, D(2020, 7, 1), has_applicants=True)
    assert a.state == State.AT_RISK and a.reason == "r3_no_sites"
    assert check_confirmation_length([], C, D(2020, 7, 1), has_applicants=False).state == State.NO_DATA
    assert check_capacity(500, [], C, D(2020, 7, 1)).state == State.AT_RISK
    assert check_capacity(None, [], C, D(2020, 7, 1)).state == State.NO_DATA


def test_a_stage_with_no_target_and_no_reports_escalates_once_started():
    # Nothing at all reported (no confirmed figure to aim at): 无数据 before the stage, then 有风险, then 已逾期.
    assert check_progress("R7_final", [], None, C.final_date, D(2020, 6, 30), C, D(2020, 6, 20)).state == \
        State.NO_DATA
    assert check_progress("R7_final", [], None, C.final_date, D(2020, 6, 30), C, D(2020, 7, 20)).state == \
        State.AT_RISK
    assert check_progress("R7_final", [], None, C.final_date, D(2020, 6, 30), C, D(2020, 8, 21)).state == \
        State.OVERDUE
