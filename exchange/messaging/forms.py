"""The message form, and the time a posting's author agrees with a young helper."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.idempotency import IdempotentFormMixin
from ..formfields import BlankableDateField
from ..i18n import _l
from .services import MESSAGE_MAX


class MessageForm(IdempotentFormMixin, FlaskForm):
    """One plain-text message."""

    body = TextAreaField(
        _l("Your message"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Write a message.")),
            Length(max=MESSAGE_MAX, message=_l("A message can be at most 2000 characters long.")),
        ],
    )


class AgreedTimeForm(FlaskForm):
    """The date, start and length a posting's author agrees with a young helper."""

    on_date = BlankableDateField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the job."))]
    )
    start = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter when the job starts."))],
    )
    # Text, so that "1,5" is read as well as "1.5".
    hours = StringField(
        _l("Duration in hours"),
        validators=[InputRequired(message=_l("Enter how long the job takes."))],
    )

    @property
    def minutes(self) -> int | None:
        """The duration in whole minutes, or None when it is not a number."""
        try:
            value = Decimal((self.hours.data or "").strip().replace(",", ".").replace("٫", "."))
        except InvalidOperation:
            return None
        return round(value * 60) if value.is_finite() else None

    def validate_hours(self, field) -> None:
        """Between a quarter of an hour and twelve hours."""
        minutes = self.minutes
        if minutes is None or not 15 <= minutes <= 720:
            raise ValidationError(_l("Enter between 0.25 and 12 hours."))
