"""The message form."""

from flask_wtf import FlaskForm
from wtforms import DecimalField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

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
    hours = DecimalField(
        _l("Duration in hours"),
        places=2,
        validators=[
            InputRequired(message=_l("Enter how long the job takes.")),
            NumberRange(min=0.25, max=12, message=_l("Enter between 0.25 and 12 hours.")),
        ],
    )
