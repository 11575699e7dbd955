"""Progress toward a 2030 target: one worked example per branch (base year 2015).

Target 100 from a base of 20 needs (100/20)^(1/15) − 1 = 11.33 % a year.
"""

import pytest

from coalition.indicators.progress import (
    ACCELERATION,
    ACHIEVED,
    CAGR,
    DETERIORATION,
    INSUFFICIENT,
    LIMITED,
    LINEAR,
    ON_TRACK,
    progress_of,
)

NEEDED = (100 / 20) ** (1 / 15) - 1


def assess(values, target=100, direction="increase", **kwargs):
    return progress_of(values=values, target=target, direction=direction, percent=True, **kwargs)


def test_a_target_already_reached_is_achieved():
    result = assess({2015: 50, 2022: 100})
    assert result.label == ACHIEVED
    assert result.projected == 100


def test_growing_faster_than_needed_is_on_track():
    result = assess({2015: 20, 2022: 45})  # 2.25^(1/7) − 1 = 12.28 % a year, ratio 1.0844
    assert result.growth_needed == pytest.approx(NEEDED)
    assert result.growth_actual == pytest.approx(2.25 ** (1 / 7) - 1)
    assert result.ratio == pytest.approx(1.0844, abs=1e-4)
    assert result.label == ON_TRACK
    assert result.method == CAGR
    assert result.projected == 100  # 45 × 1.1228^8 = 113.7, bounded to 100 %


def test_between_60_and_95_percent_of_the_pace_needs_acceleration():
    result = assess({2015: 20, 2018: 25, 2022: 35})  # 1.75^(1/7) − 1 = 8.32 %
    assert result.ratio == pytest.approx(0.7348, abs=1e-4)
    assert result.label == ACCELERATION
    assert result.projected == pytest.approx(35 * 1.75 ** (8 / 7))  # 66.3


def test_below_60_percent_of_the_pace_is_limited_progress():
    result = assess({2015: 20, 2022: 25})  # 1.25^(1/7) − 1 = 3.24 %
    assert result.ratio == pytest.approx(0.2860, abs=1e-4)
    assert result.label == LIMITED


def test_moving_away_from_the_target_is_deterioration():
    result = assess({2015: 20, 2022: 15})
    assert result.ratio < 0
    assert result.label == DETERIORATION


def test_one_data_point_is_insufficient():
    assert assess({2022: 30}).label == INSUFFICIENT
    assert assess({}).label == INSUFFICIENT
    # Only values before the base year: no growth since the base can be measured.
    assert assess({2010: 5, 2014: 9}).label == INSUFFICIENT


def test_the_first_year_after_the_base_year_serves_as_base():
    result = assess({2012: 5, 2017: 20, 2022: 30})
    assert (result.base_year, result.base_value) == (2017, 20)
    assert result.growth_needed == pytest.approx((100 / 20) ** (1 / 13) - 1)


def test_lower_is_better_uses_the_same_ratio():
    # Price 8 % of GNI in 2015, 4 % in 2023, target 2 %: needs −8.83 % a year, does −8.30 % (ratio 0.9402).
    result = assess({2015: 8, 2023: 4}, target=2, direction="decrease")
    assert result.growth_needed == pytest.approx(0.25 ** (1 / 15) - 1)
    assert result.growth_actual == pytest.approx(0.5 ** (1 / 8) - 1)
    assert result.ratio == pytest.approx(0.9402, abs=1e-4)
    assert result.label == ACCELERATION
    assert assess({2015: 8, 2023: 1.9}, target=2, direction="decrease").label == ACHIEVED
    assert assess({2015: 8, 2023: 9}, target=2, direction="decrease").label == DETERIORATION


def test_a_target_met_at_the_base_but_missed_since_is_deterioration():
    result = assess({2015: 1.5, 2022: 2.5}, target=2, direction="decrease")
    assert result.label == DETERIORATION


def test_a_zero_base_uses_average_annual_change():
    # From 0 to 35 in 7 years: 5 points a year against 100/15 = 6.67 needed.
    result = assess({2015: 0, 2022: 35})
    assert result.method == LINEAR
    assert result.growth_actual == pytest.approx(5)
    assert result.growth_needed == pytest.approx(100 / 15)
    assert result.ratio == pytest.approx(0.75)
    assert result.label == ACCELERATION
    assert result.projected == pytest.approx(75)


def test_a_zero_target_uses_average_annual_change():
    result = assess({2015: 10, 2020: 5}, target=0, direction="decrease")
    assert result.method == LINEAR
    assert result.ratio == pytest.approx(-1 / (-10 / 15))
    assert result.label == ON_TRACK
    assert result.projected == 0  # 5 − 1 × 10, not below zero


def test_a_later_target_year_and_base_year_can_be_chosen():
    result = assess({2020: 20, 2025: 40}, base_year=2020, target_year=2040)
    assert result.growth_needed == pytest.approx(5 ** (1 / 20) - 1)
    assert result.label == ON_TRACK
