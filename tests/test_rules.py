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

from domain.calendar import STATUTORY
from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.rules import (
    SEVERITY,
    Level,
    Site,
    check_capacity,
    check_confirmation_length,
    check_plan,
    check_progress,
    check_record_checks,
    confirmation_working_days,
    decision_due,
    effective_decision_due,
    in_registration_window,
    project,
    queue_clear_date,
    site_capacity,
)

D = dt.date
C = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
cal = C.calendar


def test_severity_orders_worst_first():
    assert sorted(Level, key=SEVERITY.__getitem__) == [
        Level.LATE, Level.AT_RISK, Level.NO_DATA, Level.ON_TRACK, Level.DONE]
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
    a = check_capacity(700, [SITE], C, D(2020, 7, 10), confirmed=700)
    assert a.level == Level.DONE
    assert check_capacity(700, [SITE], C, D(2020, 7, 10), confirmed=699).level == Level.LATE


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


# ---- projection ----------------------------------------------------------------------------------

def test_project_uses_the_pace_window():
    # Reports 07-03: 0, 07-17: 100, 07-24: 300, 07-31: 500; window 14 days back from 07-31
    # starts 07-17 → base 100. Working days 07-20..07-31 = 10 → pace 40/day.
    # 500 left → ceil(12.5) = 13 working days after 07-31: 08-03..07 (5), 10..14 (10),
    # 17, 18, 19 (13) → 08-19.
    history = [(D(2020, 7, 3), 0), (D(2020, 7, 17), 100), (D(2020, 7, 24), 300), (D(2020, 7, 31), 500)]
    assert project(history, 1000, D(2020, 7, 31), C) == (500, D(2020, 8, 19))


def test_project_over_a_skipped_report():
    # Reports 07-10: 100 and 07-31: 500 (two weeks skipped): the window (from 07-17) holds only
    # 07-31, so the pace is measured from 07-10: 07-13..07-31 = 15 working days, 400/15 per day;
    # 500 left → ceil(18.75) = 19 days after 07-31: 08-03..07 (5), 10..14 (10), 17..21 (15),
    # 24..27 (19) → 08-27. Not "no progress".
    history = [(D(2020, 7, 10), 100), (D(2020, 7, 31), 500)]
    assert project(history, 1000, D(2020, 7, 31), C) == (500, D(2020, 8, 27))
    a = check_progress("R6_decisions", history, 1000, DUE, D(2020, 7, 10), C, D(2020, 7, 31))
    assert a.level == Level.LATE
    assert a.reason == "r6_late"


def test_project_ignores_reports_after_as_of():
    history = [(D(2020, 7, 24), 300), (D(2020, 7, 31), 1000)]
    # As of 07-24 only one report: nothing to extrapolate.
    assert project(history, 1000, D(2020, 7, 24), C) == (300, None)
    # Target reached: projected is the first report showing it.
    assert project(history, 1000, D(2020, 8, 7), C) == (1000, D(2020, 7, 31))
    assert project(history, 1000, D(2020, 7, 1), C) == (None, None)


# ---- R5: record checks before decisions ------------------------------------------------------------

def test_r5_more_decisions_than_checks_is_late():
    a = check_record_checks([(D(2020, 7, 24), 300)], decided=350, confirmed=1000,
                            due=D(2020, 8, 20), stage_start=D(2020, 7, 10), campaign=C,
                            as_of=D(2020, 7, 24))
    assert a.milestone == "R5_record_checks"
    assert a.level == Level.LATE
    assert a.reason == "r5_decisions_first"
    assert a.facts == {"checked": 300, "decided": 350}


def test_r5_checks_progressing_on_track():
    # 07-24: 200, 07-31: 450 → 250 in Mon 27..Fri 31 = 5 days → 50/day; 550 left → 11 days
    # → 08-03..07 (5), 10..14 (10), 17 (11) → 08-17; slack to 08-20: 18, 19, 20 = 3 (not < 3).
    a = check_record_checks([(D(2020, 7, 24), 200), (D(2020, 7, 31), 450)], decided=400,
                            confirmed=1000, due=D(2020, 8, 20), stage_start=D(2020, 7, 10),
                            campaign=C, as_of=D(2020, 7, 31))
    assert a.level == Level.ON_TRACK
    assert a.projected_date == D(2020, 8, 17)
    assert a.slack_working_days == 3
    assert a.reason == "r5_on_track"


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


# ---- R6 / R7 progress ----------------------------------------------------------------------------------

DUE = D(2020, 8, 20)  # Thursday


STAGE_START = D(2020, 7, 10)


def _r6(history, as_of, target=1000, due=DUE, stage_start=STAGE_START, campaign=C):
    return check_progress("R6_decisions", history, target, due, stage_start, campaign, as_of)


def test_progress_done():
    # Target reached in the 08-07 report; slack 08-10..14 (5) + 17..20 (4) = 9.
    a = _r6([(D(2020, 7, 31), 600), (D(2020, 8, 7), 1000)], D(2020, 8, 10))
    assert a.level == Level.DONE
    assert a.projected_date == D(2020, 8, 7)
    assert a.slack_working_days == 9
    assert a.reason == "r6_done"


def test_progress_on_track_from_pace():
    # Same numbers as the R5 case: projected 08-17, slack 3.
    a = _r6([(D(2020, 7, 24), 200), (D(2020, 7, 31), 450)], D(2020, 7, 31))
    assert a.level == Level.ON_TRACK
    assert a.projected_date == D(2020, 8, 17)
    assert a.slack_working_days == 3


def test_progress_at_risk_with_little_slack():
    # 07-24: 300, 07-31: 500 → 40/day; 500 left → 13 days → 08-19; slack 1 (< 3).
    a = _r6([(D(2020, 7, 24), 300), (D(2020, 7, 31), 500)], D(2020, 7, 31))
    assert a.level == Level.AT_RISK
    assert a.projected_date == D(2020, 8, 19)
    assert a.slack_working_days == 1
    assert a.reason == "r6_tight"


def test_progress_late_when_projected_after_due():
    # 07-24: 200, 07-31: 400 → 40/day; 600 left → 15 days → 08-21; slack -1.
    a = _r6([(D(2020, 7, 24), 200), (D(2020, 7, 31), 400)], D(2020, 7, 31))
    assert a.level == Level.LATE
    assert a.projected_date == D(2020, 8, 21)
    assert a.slack_working_days == -1
    assert a.reason == "r6_late"


def test_progress_stalled_once_started_is_at_risk():
    a = _r6([(D(2020, 7, 24), 400), (D(2020, 7, 31), 400)], D(2020, 7, 31))
    assert a.level == Level.AT_RISK
    assert a.projected_date is None
    assert a.reason == "r6_stalled"


def test_progress_not_yet_started_is_on_track():
    a = _r6([(D(2020, 7, 3), 0)], D(2020, 7, 3), stage_start=D(2020, 7, 10))
    assert a.level == Level.ON_TRACK
    assert a.reason == "r6_not_started"


def test_progress_after_due_without_progress_is_late():
    # As of Fri 08-21, due Thu 08-20, nothing moved: late by 08-21 → -1.
    a = _r6([(D(2020, 8, 14), 500), (D(2020, 8, 21), 500)], D(2020, 8, 21))
    assert a.level == Level.LATE
    assert a.slack_working_days == -1
    assert a.reason == "r6_late"


def test_progress_no_reports_is_no_data():
    assert _r6([], D(2020, 7, 31)).level == Level.NO_DATA
    # Only reports after as_of: nothing known yet.
    assert _r6([(D(2020, 8, 7), 500)], D(2020, 7, 31)).level == Level.NO_DATA
    # No target or no due date: nothing to judge against.
    assert _r6([(D(2020, 7, 31), 500)], D(2020, 7, 31), target=None).level == Level.NO_DATA
    assert _r6([(D(2020, 7, 31), 500)], D(2020, 7, 31), due=None).level == Level.NO_DATA


def test_progress_at_risk_threshold_comes_from_the_campaign():
    # Same history as the at-risk case (slack 1): with threshold 1, slack 1 is on track.
    c = dataclasses.replace(C, risk=dataclasses.replace(C.risk, at_risk_slack_working_days=1))
    a = _r6([(D(2020, 7, 24), 300), (D(2020, 7, 31), 500)], D(2020, 7, 31), campaign=c)
    assert a.level == Level.ON_TRACK


def test_r7_final_milestone():
    # Certificates issued: 07-24: 100, 07-31: 300 → 40/day; 700 left → ceil(17.5) = 18 days
    # after 07-31: 08-03..07 (5), 10..14 (10), 17..21 (15), 24, 25, 26 (18) → 08-26, slack vs
    # 08-20: -(21, 24, 25, 26) = -4.
    a = check_progress("R7_final", [(D(2020, 7, 24), 100), (D(2020, 7, 31), 300)], 1000,
                       C.final_date, D(2020, 7, 10), C, D(2020, 7, 31))
    assert a.milestone == "R7_final"
    assert a.level == Level.LATE
    assert a.due_date == D(2020, 8, 20)
    assert a.projected_date == D(2020, 8, 26)
    assert a.slack_working_days == -4
    assert a.reason == "r7_late"


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


def test_progress_far_behind_is_late_without_a_date():
    # 1 decision a week on 1000 to decide: ~1000 weeks away, beyond the 120-working-day horizon.
    a = _r6([(D(2020, 7, 24), 10), (D(2020, 7, 31), 11)], D(2020, 7, 31))
    assert a.level == Level.LATE and a.reason == "r6_far_behind"
    assert a.projected_date is None


def test_r4_done_once_the_period_ended_within_capacity():
    # 300 of 600 capacity, period 07-01..07-07 over by 07-08: confirmation capacity sufficed.
    assert check_capacity(300, [SITE], C, D(2020, 7, 8)).level == Level.DONE
    # Over capacity stays late after the period: the rule was broken.
    assert check_capacity(700, [SITE], C, D(2020, 7, 8)).level == Level.LATE
    # On the last day itself it is not over yet.
    assert check_capacity(300, [SITE], C, D(2020, 7, 7)).level == Level.ON_TRACK
