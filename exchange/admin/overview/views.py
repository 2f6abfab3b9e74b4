"""The Kommune's overview (/k/<slug>/admin/) and its CSV exports."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, g, render_template

from ...municipalities.accessibility import queries as statements
from ...municipalities.tenancy import attach_tenant
from ..access import admin_required
from . import queries

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
