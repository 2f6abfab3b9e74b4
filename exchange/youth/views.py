"""The Taschengeldbörse's rules in plain words, and a young person's consent form for her parents.

The rules pages (/k/<slug>/taschengeld/regeln/...) are public and the same for every visitor of
a Kommune, so guests' copies are cacheable like its other pages (web.py). The consent form is
the young person's own: /me/einwilligung shows what the town hall recorded, and its PDF is the
form her parents sign and hand in.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, g, redirect, render_template, url_for
from flask_babel import force_locale, format_currency
from flask_login import current_user, login_required

from ..core.pdf import pdf_response
from ..municipalities.tenancy import load_tenant
from . import explain
from .facts import is_minor, latest_consent, rules_facts

bp = Blueprint("youth", __name__)

# The rules pages are tenant pages; /me/einwilligung is not (the slug would become a query arg).
_TENANT_ENDPOINTS = frozenset(
    {"youth.rules", "youth.rules_young", "youth.rules_parents", "youth.rules_providers"}
)


@bp.url_value_preprocessor
def _pull_slug(endpoint, values):
    if endpoint in _TENANT_ENDPOINTS:
        g.tenant_slug = (values or {}).pop("slug", None)
        load_tenant()


@bp.url_defaults
def _add_slug(endpoint, values):
    if endpoint in _TENANT_ENDPOINTS and "slug" not in values and g.get("municipality"):
        values["slug"] = g.municipality.slug


@bp.app_template_global("youth_is_minor")
def youth_is_minor(user) -> bool:
    """For templates: whether the signed-in person is under 18 today (the account area's link)."""
    return bool(getattr(user, "birth_date", None)) and is_minor(user, date.today())


def _figures(facts) -> dict:
    """The number formatters and the pay, in the reader's language."""
    return {
        "facts": facts,
        "hours_text": explain.hours_text,
        "clock_text": explain.clock_text,
        "pay": format_currency(facts.recommended_pay_cents / 100, "EUR"),
    }


def _rules_page(template: str):
    return render_template(template, **_figures(rules_facts(g.municipality)))


@bp.get("/k/<slug>/taschengeld/regeln")
def rules():
    """The rules' start page: the Kommune's figures and the three pages for each reader."""
    return _rules_page("youth/rules.html")


@bp.get("/k/<slug>/taschengeld/regeln/jugendliche")
def rules_young():
    """The rules for young people ("du")."""
    return _rules_page("youth/rules_young.html")


@bp.get("/k/<slug>/taschengeld/regeln/eltern")
def rules_parents():
    """The rules for parents ("Sie"): consent, what the system checks, pay and insurance."""
    return _rules_page("youth/rules_parents.html")


@bp.get("/k/<slug>/taschengeld/regeln/auftraggeber")
def rules_providers():
    """The rules for job providers ("Sie"): how to post a job young people may answer."""
    return _rules_page("youth/rules_providers.html")


@bp.get("/me/einwilligung")
@login_required
def my_consent():
    """A minor's consent status and the form to print; adults read that they need none."""
    user = current_user
    minor = user.municipality is not None and youth_is_minor(user)
    return render_template(
        "youth/my_consent.html",
        is_minor=minor,
        consent=latest_consent(user) if minor else None,
        kommune=user.municipality,
    )


@bp.get("/me/einwilligung.pdf")
@login_required
def consent_pdf():
    """The consent form for the parents as an A4 PDF (German: it is filed by the town hall)."""
    user = current_user
    if user.municipality is None:
        abort(404)
    if not youth_is_minor(user):
        return redirect(url_for("youth.my_consent"))
    kommune = user.municipality
    facts = rules_facts(kommune)
    # The form is German whatever the page language: the town hall files and reads it, and the
    # parents sign a text in the language it is kept in. The rules pages have the other languages
    # (the form links to the parents' page).
    with force_locale("de"):
        return pdf_response(
            "youth/consent_pdf.html",
            f"einwilligung-{user.id}.pdf",
            municipality=kommune,
            young=user,
            parents_url=url_for("youth.rules_parents", slug=kommune.slug, _external=True),
            **_figures(facts),
        )
