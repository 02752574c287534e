"""R-MI-4: working-day arithmetic as pure functions, tested without a database.

The real calendar here is built straight from the chinesecalendar package through the same
conversion the loader uses, so these tests also check that storing only exceptions loses nothing.
"""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.rules.workdays import (
    WorkCalendar,
    WorkdayOverflow,
    WorkdayResult,
    add_workdays,
    unknown_years_between,
    workdays_between,
)
from governance.selectors.workdays import chinesecalendar_exceptions, chinesecalendar_years

D = datetime.date
LIBRARY_YEARS = chinesecalendar_years()
REAL = WorkCalendar(
    exceptions={day: is_workday for day, (is_workday, _name) in chinesecalendar_exceptions(LIBRARY_YEARS).items()},
    known_years=frozenset(LIBRARY_YEARS),
)
MON_FRI = WorkCalendar()

# Dates a little beyond the library's years on both sides, so unknown years are exercised too.
real_dates = st.dates(min_value=D(LIBRARY_YEARS[0] - 1, 6, 1), max_value=D(LIBRARY_YEARS[-1] + 2, 6, 30))
counts = st.integers(min_value=-300, max_value=300)


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    """Arbitrary exceptions in 2025-2027 (even absurd ones: a month off, every weekend worked)."""
    exceptions = draw(st.dictionaries(st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)),
                                      st.booleans(), max_size=200))
    known = draw(st.frozensets(st.integers(min_value=2020, max_value=2030)))
    return WorkCalendar(exceptions=exceptions, known_years=known)


synthetic_dates = st.dates(min_value=D(2024, 6, 1), max_value=D(2028, 6, 30))


# --- the calendar itself ---------------------------------------------------------------------------

def test_r_mi_4_stored_exceptions_reproduce_chinesecalendar_for_every_day_it_knows():
    """R-MI-4: dropping the package's weekend holidays (rest days anyway) changes no day's status."""
    day, last = D(LIBRARY_YEARS[0], 1, 1), D(LIBRARY_YEARS[-1], 12, 31)
    while day <= last:
        assert REAL.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_r_mi_4_only_exceptions_to_monday_friday_are_kept():
    """R-MI-4."""
    exceptions = chinesecalendar_exceptions([2026])
    assert all(is_workday == (day.weekday() >= 5) for day, (is_workday, _name) in exceptions.items())
    assert D(2026, 10, 3) not in exceptions  # a Saturday inside the National Day holiday
    assert exceptions[D(2026, 10, 1)] == (False, "国庆节")
    assert exceptions[D(2026, 2, 14)] == (True, "春节")


def test_r_mi_4_calendar_does_not_follow_later_changes_to_the_callers_dict():
    """R-MI-4."""
    source = {D(2026, 10, 8): False}
    cal = WorkCalendar(exceptions=source, known_years=frozenset({2026}))
    source[D(2026, 10, 8)] = True
    assert cal.is_workday(D(2026, 10, 8)) is False


# --- known dates on the real 2026 schedule ------------------------------------------------------------

def test_r_mi_4_make_up_saturday_counts_as_a_working_day():
    """R-MI-4: 2026-02-14 (Saturday) is a Spring Festival make-up workday (调休上班)."""
    assert D(2026, 2, 14).weekday() == 5
    assert REAL.is_workday(D(2026, 2, 14))
    assert add_workdays(D(2026, 2, 13), 1, REAL) == WorkdayResult(D(2026, 2, 14))


def test_r_mi_4_three_working_days_across_national_day_2026():
    """R-MI-4: 1-7 October off, Thursday 8 and Friday 9 worked, Saturday 10 a make-up workday."""
    assert add_workdays(D(2026, 9, 30), 3, REAL) == WorkdayResult(D(2026, 10, 10))


def test_r_mi_4_spring_festival_2026_skips_nine_days_off():
    """R-MI-4: 15-23 February 2026 off; 14 and 28 February (Saturdays) worked."""
    assert add_workdays(D(2026, 2, 12), 3, REAL).date == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 24), -1, REAL).date == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 27), 1, REAL).date == D(2026, 2, 28)


def test_r_mi_4_zero_working_days_is_the_start_even_on_a_holiday():
    """R-MI-4."""
    assert add_workdays(D(2026, 10, 1), 0, REAL) == WorkdayResult(D(2026, 10, 1))


def test_r_mi_4_notice_lead_counts_backwards_over_the_holiday():
    """R-MI-4: one working day before Thursday 8 October 2026 is Wednesday 30 September."""
    assert add_workdays(D(2026, 10, 8), -1, REAL).date == D(2026, 9, 30)


def test_r_mi_4_lateness_across_national_day_counts_only_working_days():
    """R-MI-4."""
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 12), REAL) == 4  # 8, 9, 10 (Sat, worked), 12
    assert workdays_between(D(2026, 10, 10), D(2026, 10, 11), REAL) == 0  # Sunday
    assert workdays_between(D(2026, 10, 12), D(2026, 9, 30), REAL) == -4


# --- unknown years: Monday-Friday, reported, never a crash ----------------------------------------------

def test_r_mi_4_year_end_2026_runs_into_unknown_2027_and_says_so():
    """R-MI-4."""
    result = add_workdays(D(2026, 12, 30), 3, REAL)
    # 31 Dec, 1 Jan 2027 (surely a holiday, but unknown: assumed worked), Monday 4 Jan.
    assert result == WorkdayResult(D(2027, 1, 4), fallback_years=(2027,))
    assert result.assumed_weekdays


def test_r_mi_4_far_future_year_falls_back_to_monday_friday():
    """R-MI-4."""
    result = add_workdays(D(2100, 1, 1), 5, REAL)  # a Friday
    assert result == WorkdayResult(D(2100, 1, 8), fallback_years=(2100,))


def test_r_mi_4_known_year_reports_no_fallback():
    """R-MI-4."""
    assert add_workdays(D(2026, 3, 2), 10, REAL).fallback_years == ()


def test_r_mi_4_fallback_years_name_every_unknown_year_passed():
    """R-MI-4."""
    result = add_workdays(D(2026, 12, 1), 600, REAL)
    assert result.fallback_years == tuple(range(2027, result.date.year + 1))
    assert unknown_years_between(D(2026, 12, 1), result.date, REAL) == result.fallback_years


def test_r_mi_4_counting_backwards_into_an_unknown_year_is_reported():
    """R-MI-4."""
    assert add_workdays(D(2004, 1, 5), -3, REAL).fallback_years == (2003,)


def test_r_mi_4_running_off_the_end_of_the_date_range_is_a_clear_error():
    """R-MI-4."""
    with pytest.raises(WorkdayOverflow):
        add_workdays(D(9999, 12, 30), 5, REAL)
    with pytest.raises(WorkdayOverflow):
        add_workdays(D(1, 1, 2), -5, REAL)


@given(st.dates(min_value=D(2027, 1, 1), max_value=D(9990, 12, 31)), st.integers(min_value=1, max_value=60))
def test_r_mi_4_any_year_without_data_is_monday_friday(start, n):
    """R-MI-4."""
    result = add_workdays(start, n, REAL)
    assert result.date.weekday() < 5
    assert result.fallback_years
    first_counted = start + datetime.timedelta(days=1)
    assert result.fallback_years == tuple(range(first_counted.year, result.date.year + 1))


# --- properties ------------------------------------------------------------------------------------------

@given(real_dates, st.integers(min_value=1, max_value=300))
def test_r_mi_4_result_is_a_working_day_after_the_start(start, n):
    """R-MI-4."""
    result = add_workdays(start, n, REAL).date
    assert result > start
    assert REAL.is_workday(result)


@given(real_dates, st.integers(min_value=-300, max_value=-1))
def test_r_mi_4_result_is_a_working_day_before_the_start(start, n):
    """R-MI-4."""
    result = add_workdays(start, n, REAL).date
    assert result < start
    assert REAL.is_workday(result)


@given(real_dates, counts)
def test_r_mi_4_add_workdays_is_strictly_increasing_in_n(start, n):
    """R-MI-4."""
    assert add_workdays(start, n, REAL).date < add_workdays(start, n + 1, REAL).date


@given(real_dates, counts)
def test_r_mi_4_workdays_between_inverts_add_workdays(start, n):
    """R-MI-4."""
    assert workdays_between(start, add_workdays(start, n, REAL).date, REAL) == n


@given(real_dates, counts)
def test_r_mi_4_round_trip_returns_to_a_working_start(start, n):
    """R-MI-4."""
    there = add_workdays(start, n, REAL).date
    back = add_workdays(there, -n, REAL).date
    if REAL.is_workday(start) or n == 0:
        assert back == start
    elif n > 0:
        # From a rest day, forward then back lands on the last working day before it.
        assert back < start and workdays_between(back, start, REAL) == 0
    else:
        assert back > start and workdays_between(start, back, REAL) == 1


@given(real_dates, real_dates, real_dates)
def test_r_mi_4_workdays_between_adds_up_over_consecutive_spans(a, b, c):
    """R-MI-4."""
    a, b, c = sorted((a, b, c))
    assert workdays_between(a, c, REAL) == workdays_between(a, b, REAL) + workdays_between(b, c, REAL)


@settings(max_examples=200)
@given(calendars(), synthetic_dates, st.integers(min_value=-120, max_value=120))
def test_r_mi_4_properties_hold_for_any_amended_calendar(cal, start, n):
    """R-MI-4: admins may enter anything; the arithmetic stays consistent."""
    result = add_workdays(start, n, cal)
    assert workdays_between(start, result.date, cal) == n
    assert add_workdays(start, n + 1, cal).date > result.date
    if n != 0:
        assert cal.is_workday(result.date)
        touched = range(min(start, result.date).year, max(start, result.date).year + 1)
        assert set(result.fallback_years) <= set(touched) - cal.known_years


@given(synthetic_dates, st.integers(min_value=0, max_value=100))
def test_r_mi_4_monday_friday_calendar_matches_a_brute_force_count(start, n):
    """R-MI-4."""
    day, left = start, n
    while left:
        day += datetime.timedelta(days=1)
        left -= day.weekday() < 5
    assert add_workdays(start, n, MON_FRI).date == day
