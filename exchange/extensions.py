"""Flask extensions, created unbound and attached in create_app."""

import math
import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

from .i18n import select_locale

# Stable constraint names so that Alembic migrations look the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        try:
            cursor.execute("SELECT sin(0), asin(0), radians(0), power(2, 2), sqrt(4)")
        except sqlite3.OperationalError:
            _register_math(dbapi_connection)
        cursor.close()


def _register_math(connection) -> None:
    """SQL math functions for SQLite builds compiled without them (distance in SQL)."""
    for name, fn, args in (
        ("sin", math.sin, 1),
        ("cos", math.cos, 1),
        ("asin", math.asin, 1),
        ("sqrt", math.sqrt, 1),
        ("radians", math.radians, 1),
        ("power", math.pow, 2),
    ):
        connection.create_function(name, args, fn, deterministic=True)


def init_app(app) -> None:
    """Bind every extension to the app."""
    db.init_app(app)
    with app.app_context():
        # Registering the listener touches no database; the engine connects lazily.
        event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(
        app, db, directory=app.config["MIGRATIONS_DIR"], render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)

    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
