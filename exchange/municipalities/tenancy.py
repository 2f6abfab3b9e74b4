"""Resolve /k/<slug>/ into g.municipality and keep every lookup inside it."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, abort, g
from sqlalchemy import bindparam, select

from ..extensions import db
from .models import Municipality


@cache
def _by_slug():
    # Built once: every tenant page runs it, and building it cost more than running it.
    return select(Municipality).where(Municipality.slug == bindparam("tenant_slug"))


def municipality_by_slug(slug: str) -> Municipality | None:
    """The Kommune with this slug, or None."""
    return db.session.scalar(_by_slug(), {"tenant_slug": slug})


def attach_tenant(bp: Blueprint, deferred: frozenset[str] = frozenset()) -> None:
    """Make bp's routes tenant routes: the slug becomes g.municipality, or a 404.

    Views named in deferred call load_tenant() themselves, after answering what they can
    without the Kommune's row (a cached guest page).
    """

    @bp.url_value_preprocessor
    def pull_slug(endpoint, values):
        g.tenant_slug = (values or {}).pop("slug", None)
        if endpoint not in deferred:
            load_tenant()

    @bp.url_defaults
    def add_slug(endpoint, values):
        if "slug" not in values and g.get("municipality") is not None:
            values["slug"] = g.municipality.slug


def load_tenant() -> Municipality:
    """The Kommune named by this request's slug, kept in g.municipality; 404 when unknown."""
    municipality = g.get("municipality")
    if municipality is None:
        slug = g.get("tenant_slug")
        municipality = municipality_by_slug(slug) if slug else None
        if municipality is None:
            abort(404)
        g.municipality = municipality
    return municipality


def get_scoped_or_404(model, object_id: int, municipality: Municipality):
    """Load model by id within the Kommune; another Kommune's id is a 404."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.municipality_id != municipality.id:
        abort(404)
    return obj
