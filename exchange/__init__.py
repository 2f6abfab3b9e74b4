"""Nachbarschaftsbörse: application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from config.settings import CONFIGS, INSTANCE, check_mail_config

PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A data folder: inside the package when installed from a wheel, else the checkout's own."""
    packaged = PACKAGE / name
    # The wheel ships templates/, translations/ and migrations/ under exchange/ (see setup.py);
    # a checkout (and its editable install) keeps them at the top level, as the design says.
    return packaged if packaged.is_dir() else PACKAGE.parent / name


def create_app(config: str | type | None = None, overrides: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, CLI. Runs no queries."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=str(INSTANCE),
    )
    if config is None:
        config = os.environ.get("EXCHANGE_ENV", "production")
    app.config.from_object(CONFIGS[config] if isinstance(config, str) else config)
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (environment variable SECRET_KEY).")
    check_mail_config(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )

    app.config.setdefault("MIGRATIONS_DIR", str(resource_dir("migrations")))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(resource_dir("translations")))
    # The factory imports the app's parts here, not at the top: this module is the package's
    # root, which every ``exchange.*`` import runs first, so top-level imports would load the
    # whole app (and its layers above) for anything as small as ``exchange.geo``.
    from . import extensions, models, static_files, web  # noqa: F401 - models registers the schema
    from .errors import register_error_handlers
    from .logging import init_app as init_logging

    init_logging(app)
    extensions.init_app(app)
    web.init_app(app)
    static_files.init_app(app)
    from .core import inputs

    inputs.init_app(app)  # before the blueprints: their <int:...> rules bind the converter
    from .admin import audit
    from .admin.audit import hooks as _audit_hooks  # noqa: F401
    from .admin.moderation import hooks as _moderation_hooks  # noqa: F401
    from .admin.proxies import hooks as _proxies_hooks  # noqa: F401
    from .ledger import certificate_hooks as _certificate_hooks  # noqa: F401
    from .ledger import hooks as _ledger_hooks  # noqa: F401
    from .matching import hooks as _matching_hooks  # noqa: F401
    from .messaging import hooks as _messaging_hooks  # noqa: F401
    from .municipalities.accessibility import hooks as _accessibility_hooks  # noqa: F401
    from .notifications import hooks as _notifications_hooks  # noqa: F401
    from .postings import hooks as _postings_hooks  # noqa: F401
    from .youth import hooks as _youth_hooks  # noqa: F401

    # Importing the hooks above connected each package's receivers to the signals by which
    # lower layers set off higher ones (core/signals.py); connecting twice is harmless.
    audit.init_app(app)
    from .postings import board_cache

    board_cache.init_app(app)
    register_error_handlers(app)

    from .accounts.terms_views import bp as accounts_terms_bp
    from .accounts.views import bp as accounts_bp
    from .admin.audit.views import bp as admin_audit_bp
    from .admin.engagement_settings.views import bp as admin_engagement_bp
    from .admin.help_records.views import bp as admin_help_records_bp

    # Their routes join the moderation and settings blueprints (imported before registering).
    from .admin.moderation import barrier_views as _barrier_views  # noqa: F401
    from .admin.moderation.views import bp as admin_moderation_bp
    from .admin.moderation.views import reports_bp
    from .admin.overview.views import bp as admin_overview_bp
    from .admin.proxies.views import bp as admin_proxies_bp
    from .admin.settings import easy_language as _easy_language  # noqa: F401 - its routes
    from .admin.settings import statement_views as _statement_views  # noqa: F401
    from .admin.settings import terms_views as _terms_views  # noqa: F401 - its routes
    from .admin.settings.views import bp as admin_settings_bp
    from .admin.youth.views import bp as admin_youth_bp
    from .ledger.certificate_views import bp as certificates_bp
    from .ledger.views import bp as ledger_bp
    from .matching.views import bp as matching_bp
    from .messaging.views import bp as messaging_bp
    from .municipalities.easy_language.views import bp as easy_language_bp
    from .municipalities.easy_language.views import platform_bp as easy_language_platform_bp
    from .municipalities.views import bp as municipalities_bp
    from .notifications.views import bp as reminders_bp
    from .operator.views import bp as operator_bp
    from .pages.views import bp as pages_bp
    from .postings.draft_views import bp as postings_drafts_bp
    from .postings.views import bp as postings_bp
    from .postings.views import me_bp as postings_me_bp
    from .youth.views import bp as youth_bp

    for blueprint in (
        pages_bp,
        accounts_bp,
        accounts_terms_bp,
        municipalities_bp,
        postings_bp,
        postings_me_bp,
        postings_drafts_bp,
        messaging_bp,
        matching_bp,
        reminders_bp,
        ledger_bp,
        admin_overview_bp,
        admin_proxies_bp,
        admin_moderation_bp,
        admin_audit_bp,
        admin_help_records_bp,
        admin_settings_bp,
        admin_youth_bp,
        admin_engagement_bp,
        certificates_bp,
        easy_language_bp,
        easy_language_platform_bp,
        reports_bp,
        operator_bp,
        youth_bp,
    ):
        app.register_blueprint(blueprint)

    from .cli import cli

    app.cli.add_command(cli)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust exactly as many X-Forwarded-* hops as there are proxies of our own in front:
        # client address (rate limits), scheme (HTTPS, HSTS, secure cookies) and host.
        # Outermost, so that the static files and the board's fast path see the fixed request.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=0)
    return app
