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
