"""`flask db upgrade` builds the schema from empty, and models and migrations do not drift."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from exchange.extensions import db


def _empty_database():
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_from_empty_matches_the_models(app):
    _empty_database()
    upgrade()
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert {"municipality", "user_account", "posting", "conversation", "message"} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        downgrade(revision="base")
        _empty_database()
        db.create_all()  # leave the schema the app fixture expects to drop


def test_downgrade_removes_everything(app):
    _empty_database()
    upgrade()
    downgrade(revision="base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    db.create_all()


def test_existing_kommunen_get_the_radius_their_places_give(app):
    _empty_database()
    upgrade(revision="9aded7655549")
    try:
        with db.engine.begin() as connection:
            for number, slug, postcodes in (
                (1, "delbrueck", "33129"),
                (2, "paderborn", "33098,33100,33102"),
            ):
                connection.execute(
                    text(
                        "INSERT INTO municipality (id, slug, name, postcodes_csv, "
                        "enabled_kinds_csv, theme_color, contact_text, imprint_text, "
                        "privacy_text, accessibility_text, requires_approval, created_at) "
                        "VALUES (:id, :slug, :slug, :postcodes, 'zeitspende', '#0b5ea8', "
                        "'', '', '', '', false, CURRENT_TIMESTAMP)"
                    ),
                    {"id": number, "slug": slug, "postcodes": postcodes},
                )
            for name, lat, lon in (("Westenholz", 51.733, 8.467), ("Ostenland", 51.793, 8.642)):
                connection.execute(
                    text(
                        "INSERT INTO district (municipality_id, name, postcode, latitude, "
                        "longitude) VALUES (1, :name, '33129', :lat, :lon)"
                    ),
                    {"name": name, "lat": lat, "lon": lon},
                )
        upgrade()
        with db.engine.connect() as connection:
            radii = dict(
                connection.execute(text("SELECT slug, default_radius_km FROM municipality")).all()
            )
        # Westenholz–Ostenland 13.8 km; Paderborn's PLZ centroids up to 5.8 km apart.
        assert radii == {"delbrueck": 14, "paderborn": 6}
    finally:
        downgrade(revision="base")
        _empty_database()
        db.create_all()
