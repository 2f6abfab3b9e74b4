"""Horizontal bar charts as plain geometry, for server-rendered inline SVG (no JavaScript).

Pure: no Flask, no database. bar_chart() lays out one row per value: the group's (or the
series') name as text, the bar, and the value as text at the bar's end, so nothing depends on
colour alone; several series also differ by pattern. The template
admin/overview/_chart.html draws it; the data table after each chart is the accessible source
of truth, the chart's <title> and <desc> say the same in words. In a right-to-left language the
chart is mirrored (labels on the right, bars growing to the left).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 480
LABEL_WIDTH = 150
GAP = 8
BAR_MAX = 250
ROW = 22
BAR_HEIGHT = 14
TOP = 4
PATTERNS = 4


@dataclass(frozen=True)
class Text:
    """A text label at (x, y) (the baseline), anchored at its start or end."""

    text: str
    x: float
    y: float
    anchor: str
    is_heading: bool = False


@dataclass(frozen=True)
class Bar:
    """One bar: its rectangle, its series (for the pattern) and its labels."""

    x: float
    y: float
    width: float
    height: float
    series: int
    label: Text
    value: Text


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template needs."""

    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    headings: tuple[Text, ...]
    patterns: int


def _mirror(x: float, width: float, rtl: bool) -> float:
    return WIDTH - x - width if rtl else x


def _anchor(anchor: str, rtl: bool) -> str:
    if not rtl:
        return anchor
    return "end" if anchor == "start" else "start"


def describe(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    fmt: Callable[[float], str] = str,
) -> str:
    """The figures in words: "January: Zeitspende 3, Ehrenamt 1; February: …"."""
    parts = []
    for g, group in enumerate(groups):
        if len(series) == 1:
            parts.append(f"{group}: {fmt(series[0][1][g])}")
        else:
            values = ", ".join(f"{name} {fmt(values[g])}" for name, values in series)
            parts.append(f"{group}: {values}")
    return "; ".join(parts)


def bar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    fmt: Callable[[float], str] = str,
    rtl: bool = False,
) -> Chart:
    """A horizontal bar chart of series (name, one value per group) over groups.

    One series: a row per group (group name, bar, value). Several: per group a heading row,
    then a row per series (series name, bar, value), each series with its own pattern.
    """
    if any(len(values) != len(groups) for _name, values in series):
        raise ValueError("every series needs one value per group")
    largest = max((v for _name, values in series for v in values), default=0)
    scale = BAR_MAX / largest if largest > 0 else 0
    bars: list[Bar] = []
    headings: list[Text] = []
    label_x = _mirror(0, 0, rtl)
    y = TOP
    single = len(series) == 1
    for g, group in enumerate(groups):
        if not single:
            headings.append(Text(group, label_x, y + BAR_HEIGHT - 2, _anchor("start", rtl), True))
            y += ROW
        for s, (name, values) in enumerate(series):
            value = values[g]
            width = max(value * scale, 0)
            x0 = LABEL_WIDTH + GAP
            text_y = y + BAR_HEIGHT - 2
            label = Text(
                group if single else name,
                _mirror(8 if not single else 0, 0, rtl),
                text_y,
                _anchor("start", rtl),
            )
            value_text = Text(
                fmt(value), _mirror(x0 + width + 4, 0, rtl), text_y, _anchor("start", rtl)
            )
            bars.append(
                Bar(
                    x=_mirror(x0, width, rtl),
                    y=y,
                    width=round(width, 1),
                    height=BAR_HEIGHT,
                    series=s % PATTERNS,
                    label=label,
                    value=value_text,
                )
            )
            y += ROW
        if not single:
            y += ROW // 2
    return Chart(
        id=chart_id,
        title=title,
        desc=describe(groups, series, fmt),
        width=WIDTH,
        height=int(y + TOP),
        bars=tuple(bars),
        headings=tuple(headings),
        patterns=min(len(series), PATTERNS),
    )
