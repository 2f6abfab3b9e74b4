"""Domain errors and the translated error pages (NotAllowed and NotFound handled in one place)."""

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from .extensions import db
from .i18n import _


class ExchangeError(Exception):
    """A rule was broken; the message is translated and safe to show to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AccessError(Exception):
    """The user may not see or do this: one handler shows the 403 or 404 page and rolls back.

    Not an ExchangeError, so a view's ``except ExchangeError`` (a form error or flash) lets it
    through to that handler; a view that wants to explain it instead catches it by name.
    """

    code = 403

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotAllowed(AccessError):
    """The acting user may not do this (403)."""


class NotFound(AccessError):
    """There is no such thing for this user (404): nobody learns what exists elsewhere."""

    code = 404


class InvalidState(ExchangeError):
    """The object is not in a state that allows this."""


def register_error_handlers(app: Flask) -> None:
    """Render 400/403/404/405/413/429/500 through translated templates."""

    def titles() -> dict[int, str]:
        return {
            400: _("The request could not be understood"),
            403: _("Access denied"),
            404: _("Page not found"),
            405: _("This action is not possible here"),
            410: _("No longer available"),
            413: _("The request is too large"),
            429: _("Too many attempts"),
            500: _("Something went wrong"),
        }

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code >= 500:
            db.session.rollback()
        title = titles().get(code, error.name)
        return render_template("errors/error.html", code=code, title=title), code

    @app.errorhandler(AccessError)
    def access_error(error: AccessError):
        db.session.rollback()
        return render_template(
            "errors/error.html", code=error.code, title=titles()[error.code]
        ), error.code

    @app.errorhandler(Exception)
    def unhandled(error: Exception):  # pragma: no cover - exercised only by real bugs
        db.session.rollback()
        # The rule, not the path: paths can carry tokens. exchange.logging strips the values
        # (SQL parameters, driver details) from the traceback.
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        app.logger.error("Unhandled error on %s %s", request.method, rule, exc_info=error)
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return render_template("errors/error.html", code=500, title=titles()[500]), 500


def attach_to_form(form, error: ExchangeError) -> None:
    """Show a service error on its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
