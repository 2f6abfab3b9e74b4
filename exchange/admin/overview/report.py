"""The council figures as the page shows them: labelled tables, charts, and the same rows as CSV.

One description (Table, Row) serves the HTML tables and the CSV, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal

from ...i18n import _
from ...postings.categories import CATEGORY_BY_KEY, KIND_SHORT
from . import charts
from .council import CouncilFigures, Totals


@dataclass(frozen=True)
class Row:
    """One row of a table: a label, a value per bucket, and how the CSV names it."""

    label: str
    values: list
    measure: str
    key: str = ""
    is_hours: bool = False


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    heading: str
    rows: list[Row]


def bucket_labels(year: int, period: str) -> list[str]:
    """What the columns are called: months, quarters or the year."""
    if period == "month":
        return [format_date(date(year, m, 1), "LLLL") for m in range(1, 13)]
    if period == "quarter":
        return [_("Quarter %(num)d", num=q) for q in range(1, 5)]
    return [str(year)]


def bucket_keys(year: int, period: str) -> list[str]:
    """The buckets in the CSV: 2026-01, 2026-Q1 or 2026."""
    if period == "month":
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    if period == "quarter":
        return [f"{year}-Q{q}" for q in range(1, 5)]
    return [str(year)]


def hours_text(hours: float) -> str:
    """Hours to one decimal in the current language (3,5 in German)."""
    return format_decimal(hours, format="#,##0.0")


def cell(row: Row, value) -> str:
    return hours_text(value) if row.is_hours else str(value)


def tables(data: CouncilFigures, with_districts: bool = True) -> list[Table]:
    """The figures' tables: key figures, postings by Börse, by category, by Ortsteil."""
    result = [
        Table(
            "figures-key",
            _("Key figures"),
            _("Figure"),
            [
                Row(_("Postings"), data.postings, "postings"),
                Row(_("Responses (conversations started)"), data.responses, "responses"),
                Row(_("Matched (a helper chosen)"), data.matched, "matched"),
                Row(_("Help given (confirmed)"), data.helped, "helped"),
                Row(_("Hours given"), data.hours, "hours_given", is_hours=True),
                Row(_("Active helpers"), data.helpers, "active_helpers"),
                Row(_("of whom adults"), data.adults, "active_helpers_adults"),
                Row(_("of whom young people"), data.minors, "active_helpers_minors"),
            ],
        ),
        Table(
            "figures-kinds",
            _("Postings by exchange"),
            _("Exchange"),
            [
                Row(str(KIND_SHORT.get(kind, kind)), values, "postings_by_exchange", kind)
                for kind, values in data.by_kind.items()
            ],
        ),
        Table(
            "figures-categories",
            _("Postings by category"),
            _("Category"),
            [
                Row(
                    str(CATEGORY_BY_KEY[key].label) if key in CATEGORY_BY_KEY else key,
                    values,
                    "postings_by_category",
                    key,
                )
                for key, values in data.by_category.items()
            ],
        ),
    ]
    if with_districts:
        result.append(
            Table(
                "figures-districts",
                _("Postings by district"),
                _("District"),
                [
                    Row(name or _("without district"), values, "postings_by_district", name or "")
                    for name, values in data.by_district
                ],
            )
        )
    return result


def chart_list(data: CouncilFigures, labels: list[str], rtl: bool) -> dict[str, charts.Chart]:
    """The charts: postings by Börse, hours given, helpers (adults and young people)."""
    return {
        "kinds": charts.bar_chart(
            "chart-kinds",
            _("Postings by exchange"),
            labels,
            [(str(KIND_SHORT.get(k, k)), v) for k, v in data.by_kind.items()],
            rtl=rtl,
        ),
        "hours": charts.bar_chart(
            "chart-hours",
            _("Hours given"),
            labels,
            [(_("Hours given"), data.hours)],
            fmt=hours_text,
            rtl=rtl,
        ),
        "helpers": charts.bar_chart(
            "chart-helpers",
            _("Active helpers: adults and young people"),
            labels,
            [(_("Adults"), data.adults), (_("Young people"), data.minors)],
            rtl=rtl,
        ),
    }


CSV_HEADER = ["year", "period", "bucket", "measure", "key", "value"]


def csv_rows(data: CouncilFigures, with_districts: bool = True) -> list[list]:
    """The tables' figures, one row per bucket and measure (hours with a decimal point)."""
    keys = bucket_keys(data.year, data.period)
    rows: list[list] = [CSV_HEADER]
    for table in tables(data, with_districts):
        for row in table.rows:
            for bucket, value in zip(keys, row.values, strict=True):
                rows.append([data.year, data.period, bucket, row.measure, row.key, value])
    return rows


def totals_items(totals: Totals) -> list[tuple[str, object]]:
    """A Kommune's totals for the year as (CSV measure, value)."""
    return [
        ("postings", totals.postings),
        ("responses", totals.responses),
        ("matched", totals.matched),
        ("helped", totals.helped),
        ("hours_given", totals.hours),
        ("active_helpers", totals.helpers),
        ("active_helpers_minors", totals.minors),
    ]
