"""The Kommune's overview (/k/<slug>/admin/) and its CSV exports."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, current_app, g, render_template, request
from flask_babel import get_locale

from ...i18n import text_direction
from ...municipalities.accessibility import queries as statements
from ...municipalities.tenancy import attach_tenant
from ..access import admin_required
from . import council, queries, report
from .forms import FiguresFilterForm

bp = Blueprint("admin_overview", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)


@bp.get("/")
@admin_required
def dashboard():
    """Overview: open postings per Börse, who is still waiting, response time, helpers."""
    return render_template(
        "admin/overview/dashboard.html",
        figures=queries.figures(g.municipality),
        todo=queries.todo_counts(g.municipality),
        barriers_open=statements.open_feedback_count(g.municipality),
        statement_due_since=statements.review_due_since(g.municipality),
    )


def csv_response(rows, filename: str) -> Response:
    """rows as a semicolon CSV download (UTF-8 with BOM, no spreadsheet formulas)."""
    return _csv(rows, filename)


def _csv(rows, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet.
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


POSTING_COLUMNS = [
    "id",
    "created_at",
    "direction",
    "kind",
    "category",
    "title",
    "place",
    "status",
    "expires_at",
    "responses",
]


@bp.get("/export/postings.csv")
@admin_required
def export_postings():
    """All postings of the Kommune as CSV (no names or contact details)."""
    answers = queries.response_counts(g.municipality)
    rows = [POSTING_COLUMNS]
    for p in queries.postings_for_export(g.municipality):
        rows.append(_posting_row(p, answers.get(p.id, 0)))
    return _csv(rows, f"{g.municipality.slug}-postings.csv")


def _posting_row(p, responses: int) -> list:
    return [
        p.id,
        p.created_at.isoformat(),
        p.direction,
        p.kind,
        p.category,
        p.title,
        p.place_name,
        p.status,
        p.expires_at.isoformat(),
        responses,
    ]


@bp.get("/export/figures.csv")
@admin_required
def export_figures():
    """The overview's figures as CSV."""
    figures = queries.figures(g.municipality)
    rows = [["figure", "kind", "direction", "value"]]
    for (kind, direction), n in sorted(figures["counts"].items()):
        rows.append(["open_postings", kind, direction, n])
    rows.append(["waiting_requests_7_days", "", "", len(figures["waiting"])])
    rows.append(["median_first_response_hours", "", "", figures["median_first_response_hours"]])
    rows.append(["active_helpers_30_days", "", "", figures["active_helpers"]])
    return _csv(rows, f"{g.municipality.slug}-figures.csv")


# --- Figures for the council: per month, quarter or year, as charts, tables and CSV ----------


def chosen_figures(municipality_ids: list[int] | None, kinds: list[str] | None = None):
    """The filter form and the figures of the year and period the request asks for."""
    form = FiguresFilterForm(formdata=request.args)
    year, period = form.chosen(council.years_with_data(municipality_ids), council.current_year())
    return form, council.council_figures(municipality_ids, year, period, kinds)


def figures_page_context(data) -> dict:
    """What the figures templates show: column labels, tables, charts."""
    labels = report.bucket_labels(data.year, data.period)
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    rtl = text_direction(locale) == "rtl"
    return {
        "data": data,
        "labels": labels,
        "charts": report.chart_list(data, labels, rtl),
        "cell": report.cell,
        "hours_text": report.hours_text,
    }


@bp.get("/figures")
@admin_required
def figures():
    """Figures for the council: postings, responses, help, hours, helpers; charts and tables."""
    form, data = chosen_figures([g.municipality.id], list(g.municipality.enabled_kinds))
    return render_template(
        "admin/overview/figures.html",
        form=form,
        tables=report.tables(data),
        **figures_page_context(data),
    )


@bp.get("/figures.csv")
@admin_required
def figures_csv():
    """The figures page's tables as CSV: one row per bucket and figure."""
    _form, data = chosen_figures([g.municipality.id], list(g.municipality.enabled_kinds))
    return _csv(
        report.csv_rows(data),
        f"{g.municipality.slug}-figures-{data.year}-{data.period}.csv",
    )
