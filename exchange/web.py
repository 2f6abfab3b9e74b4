"""Request-wide wiring: sessions, template context, security headers, mail after commit."""

from __future__ import annotations

from flask import Flask, abort, current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .extensions import db, login_manager
from .i18n import _l, text_direction
from .timeutil import utcnow

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    """Register loaders, context processors, filters and after-request hooks."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # "basic": a changed IP (mobile networks) marks the session non-fresh instead of ending it.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        from .accounts import sessions
        from .accounts.models import User
        from .admin import acting

        # Runs only when the request carries a sign-in cookie: guests cost no query.
        found = sessions.load(identity)
        if found is None:
            return None
        user, row = found
        g.user_session_id = row.id
        if sessions.needs_touch(row):
            g.touch_user_session = True
        return acting.resolve(user, lambda proxy_id: db.session.get(User, proxy_id))

    @app.after_request
    def touch_user_session(response):
        if g.get("touch_user_session"):
            from .accounts import sessions

            # After the view's own commit; like deliver_mail, leftovers are abandoned.
            db.session.rollback()
            sessions.touch(g.user_session_id)
            db.session.commit()
        return response

    @app.before_request
    def own_account_pages_are_not_for_proxies():
        from .admin import acting

        if request.endpoint in acting.FORBIDDEN_WHILE_ACTING and acting.acting_for():
            abort(403)

    from .accounts.vocab import STAFF_ROLES, Role
    from .admin.forms import CONSENT_METHODS
    from .core.idempotency import new_token
    from .matching.describe import describe, describe_search
    from .postings import categories, vocab

    # Globals (not context) so that imported macros see them too.
    app.jinja_env.globals.update(
        CATEGORY_BY_KEY=categories.CATEGORY_BY_KEY,
        KINDS=categories.KINDS,
        KIND_SHORT=categories.KIND_SHORT,
        DIRECTIONS=categories.DIRECTIONS,
        TIMINGS=categories.TIMINGS,
        STATUSES=categories.STATUSES,
        # The closed vocabularies: templates compare with these, never with a bare string.
        Status=vocab.Status,
        OPEN_STATUSES=vocab.OPEN_STATUSES,
        ACTIVE_STATUSES=vocab.ACTIVE_STATUSES,
        EDITABLE_STATUSES=vocab.EDITABLE_STATUSES,
        Direction=vocab.Direction,
        Kind=vocab.Kind,
        Timing=vocab.Timing,
        Role=Role,
        STAFF_ROLES=STAFF_ROLES,
        format_date=format_date,
        format_datetime=format_datetime,
        describe_match=describe,
        describe_search=describe_search,
        CONSENT_METHODS=CONSENT_METHODS,
        new_idempotency_token=new_token,
    )

    @app.context_processor
    def template_context():
        from .admin import acting
        from .matching.queries import unread_notification_count
        from .messaging.queries import unread_count

        locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
        unread = new_matches = 0
        real = acting_for = None
        if has_request_context() and current_user.is_authenticated:
            unread = unread_count(current_user)
            new_matches = unread_notification_count(current_user)
            real, acting_for = acting.real_user(), acting.acting_for()
        return {
            "locale": locale,
            "direction": text_direction(locale),
            "languages": current_app.config["LANGUAGES"],
            "municipality": g.get("municipality"),
            "unread_count": unread,
            "new_match_count": new_matches,
            "real_user": real,
            "now_date": utcnow(),
            "acting_for": acting_for,
        }

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def deliver_mail(response):
        if g.get("outbox_dirty") and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
            from .notifications.services import deliver_pending

            # The view has committed; anything still pending in the session is abandoned.
            db.session.rollback()
            deliver_pending()
        return response
