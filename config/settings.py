"""Configuration classes; secrets and deployment settings come from the environment."""

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _instance_path() -> Path:
    """EXCHANGE_INSTANCE_PATH; else ./instance in a checkout; else <venv>/var/exchange-instance."""
    configured = os.environ.get("EXCHANGE_INSTANCE_PATH")
    if configured:
        return Path(configured).expanduser().resolve()
    if (ROOT / "pyproject.toml").is_file() and (ROOT / "exchange").is_dir():
        return ROOT / "instance"
    # Installed from a wheel: never inside site-packages (Flask's own convention).
    return Path(sys.prefix) / "var" / "exchange-instance"


INSTANCE = _instance_path()


def _bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class BaseConfig:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'exchange.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = {
        "de": "Deutsch",
        "en": "English",
        "fr": "Français",
        "ar": "العربية",
        "fa": "فارسی",
    }
    RTL_LANGUAGES = frozenset({"ar", "fa"})

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead: forms left open for hours still work

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window has no boundary at which the count resets (and tests cannot straddle one).
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_RATE_LIMIT = "10 per minute;100 per hour"
    REGISTER_RATE_LIMIT = "5 per minute;30 per hour"
    RESET_RATE_LIMIT = "5 per minute;30 per hour"
    # Activation codes are 60 bits; the limit makes guessing pointless on top.
    ACTIVATION_RATE_LIMIT = "5 per minute;20 per hour"
    # Barrier reports from the accessibility statement (guests too; each may send a mail).
    FEEDBACK_RATE_LIMIT = "5 per minute;30 per hour"

    # E-mail: "console" logs mails (development only), "smtp" sends them.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_TIMEOUT = 10
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Nachbarschaftsbörse <noreply@nachbarschaftsboerse.example>"
    )
    # Deliver queued mail right after the request that queued it; production runs the
    # `flask exchange send-mail --watch` worker instead.
    MAIL_SEND_AFTER_REQUEST = _bool("MAIL_SEND_AFTER_REQUEST", True)
    # Outbox: temporary failures are retried (back-off doubling from 1 minute up to the cap)
    # for this long after queueing; delivered mail is deleted after OUTBOX_KEEP_DAYS, mail
    # given up for good after OUTBOX_FAILED_KEEP_DAYS (it stays that long for a requeue).
    OUTBOX_RETRY_HOURS = int(os.environ.get("OUTBOX_RETRY_HOURS", "72"))
    OUTBOX_MAX_BACKOFF_MINUTES = int(os.environ.get("OUTBOX_MAX_BACKOFF_MINUTES", "30"))
    OUTBOX_KEEP_DAYS = int(os.environ.get("OUTBOX_KEEP_DAYS", "7"))
    OUTBOX_FAILED_KEEP_DAYS = int(os.environ.get("OUTBOX_FAILED_KEEP_DAYS", "30"))

    # The site's public address (https://nachbarn.example.org): every absolute link in e-mails
    # and letters starts with it, never with the request's Host header. Required in production.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Number of reverse proxies of our own in front of gunicorn whose X-Forwarded-* we trust.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Files that features store: one folder shared by all instances, outside the web root,
    # part of `flask exchange backup`.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE / "uploads"))
    # The DGS video of a Kommune's page in Leichte Sprache: its own upload limit (the one request
    # allowed above MAX_CONTENT_LENGTH, and only for the Kommune's admins) and its folder
    # (empty: <UPLOAD_FOLDER>/easy-language, so the backup holds it).
    EASY_LANGUAGE_VIDEO_MAX_BYTES = int(
        os.environ.get("EASY_LANGUAGE_VIDEO_MAX_BYTES", str(50 * 1024 * 1024))
    )
    EASY_LANGUAGE_VIDEO_FOLDER = os.environ.get("EASY_LANGUAGE_VIDEO_FOLDER", "")
    # The Kommune's stamp (PNG) on its Engagementnachweise, in <UPLOAD_FOLDER>/stamps; below
    # MAX_CONTENT_LENGTH. Checks of a proof's code (/nachweis/<code>) per client address; proofs
    # as PDF per person.
    STAMP_MAX_BYTES = int(os.environ.get("STAMP_MAX_BYTES", str(300 * 1024)))
    CERTIFICATE_LOOKUP_RATE_LIMIT = os.environ.get(
        "CERTIFICATE_LOOKUP_RATE_LIMIT", "20 per minute;200 per hour"
    )
    CERTIFICATE_PDF_RATE_LIMIT = os.environ.get("CERTIFICATE_PDF_RATE_LIMIT", "10 per minute")
    PASSWORD_RESET_HOURS = 2
    POSTING_LIFETIME_DAYS = 56
    PAGE_SIZE = 20
    # Nothing grows without bound: the longest form (a posting) is a few kilobytes.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500_000
    MAX_FORM_PARTS = 1000
    # Rendered guest board pages kept per worker process (0 switches the cache off).
    BOARD_CACHE_SIZE = int(os.environ.get("BOARD_CACHE_SIZE", "512"))
    # A worker trusts its copy of a Kommune's board version this long before asking the
    # database again; its own writes count at once, other workers' within this time.
    BOARD_VERSION_RECHECK_SECONDS = float(os.environ.get("BOARD_VERSION_RECHECK_SECONDS", "1"))
    # Pages for readers without a session (no cookie but the language) are marked
    # "Cache-Control: public" for this long, so a shared cache in front may serve them;
    # a hidden or deleted posting can stay there that long. 0 marks them private.
    GUEST_PAGE_MAX_AGE = int(os.environ.get("GUEST_PAGE_MAX_AGE", "60"))
    OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "Nachbarschaftsbörse")
    OPERATOR_CONTACT = os.environ.get("OPERATOR_CONTACT", "kontakt@nachbarschaftsboerse.example")
    # /healthz reports "degraded" when the oldest unsent mail has waited longer than this.
    HEALTH_OUTBOX_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_OUTBOX_MAX_AGE_SECONDS", "900"))


class DevelopmentConfig(BaseConfig):
    """Local development: SQLite under instance/, e-mail to the console."""

    ENV_NAME = "development"
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")


class TestingConfig(BaseConfig):
    """Tests: in-memory SQLite or TEST_DATABASE_URL, SMTP set per test."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105 - fixed key for reproducible tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # As in production: failing statements must not put their values into logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    MAIL_BACKEND = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_SEND_AFTER_REQUEST = True
    RATELIMIT_STORAGE_URI = "memory://"
    PUBLIC_BASE_URL = "http://localhost"
    ARGON2_FAST = True


class ProductionConfig(BaseConfig):
    """Production: everything from the environment; refuses to start without SECRET_KEY."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAIL_SEND_AFTER_REQUEST = _bool("MAIL_SEND_AFTER_REQUEST", False)
    # SQL parameters carry e-mail addresses and names; errors must not log them.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    # No default: a production install must name its mail server (checked by check_mail_config).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    # No default either: links in mails and letters must point to the real site.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")


def check_mail_config(config) -> None:
    """Refuse to start when mail could not reach anyone or its links would point nowhere.

    Outside development and tests: the console backend, no mail server, or no PUBLIC_BASE_URL.
    """
    if config.get("ENV_NAME") in {"development", "testing"}:
        return
    backend = config.get("MAIL_BACKEND")
    if backend != "smtp":
        raise RuntimeError(
            f"MAIL_BACKEND must be 'smtp' in production (it is {backend!r}); the console "
            "backend only logs mails, so nobody would receive them. Set MAIL_BACKEND=smtp."
        )
    if not (config.get("MAIL_SERVER") or "").strip():
        raise RuntimeError(
            "MAIL_SERVER must be set in production (environment variable MAIL_SERVER, e.g. "
            "smtp.example.org, with MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD)."
        )
    base = (config.get("PUBLIC_BASE_URL") or "").strip()
    if not base.startswith(("https://", "http://")) or base.rstrip("/").count("/") != 2:
        raise RuntimeError(
            "PUBLIC_BASE_URL must be set in production to the site's public address without "
            f"a path, e.g. https://nachbarn.example.org (it is {base!r}); every link in e-mails "
            "and letters starts with it."
        )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
