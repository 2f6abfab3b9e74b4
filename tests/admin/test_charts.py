"""The pure bar chart layout (exchange.admin.overview.charts)."""

import pytest

from exchange.admin.overview import charts


def test_one_series_one_row_per_group():
    chart = charts.bar_chart("c", "Hours", ["Q1", "Q2"], [("Hours", [2.0, 1.0])], fmt=str)
    assert [b.label.text for b in chart.bars] == ["Q1", "Q2"]
    assert [b.value.text for b in chart.bars] == ["2.0", "1.0"]
    assert chart.bars[0].width == charts.BAR_MAX
    assert chart.bars[1].width == charts.BAR_MAX / 2
    assert chart.headings == ()
    assert chart.desc == "Q1: 2.0; Q2: 1.0"


def test_several_series_are_labelled_and_patterned():
    chart = charts.bar_chart("c", "T", ["2025"], [("Adults", [3]), ("Young people", [1])])
    assert [h.text for h in chart.headings] == ["2025"]
    assert [(b.label.text, b.value.text, b.series) for b in chart.bars] == [
        ("Adults", "3", 0),
        ("Young people", "1", 1),
    ]
    assert chart.desc == "2025: Adults 3, Young people 1"


def test_nothing_to_show_draws_no_bars_but_says_zero():
    chart = charts.bar_chart("c", "T", ["2025"], [("Hours", [0])])
    assert chart.bars[0].width == 0
    assert chart.bars[0].value.text == "0"


def test_right_to_left_is_mirrored():
    ltr = charts.bar_chart("c", "T", ["a"], [("s", [4])])
    rtl = charts.bar_chart("c", "T", ["a"], [("s", [4])], rtl=True)
    assert rtl.bars[0].x == charts.WIDTH - ltr.bars[0].x - ltr.bars[0].width
    assert rtl.bars[0].label.anchor == "end" and ltr.bars[0].label.anchor == "start"
    assert rtl.bars[0].label.x == charts.WIDTH


def test_a_series_needs_a_value_per_group():
    with pytest.raises(ValueError):
        charts.bar_chart("c", "T", ["a", "b"], [("s", [1])])
