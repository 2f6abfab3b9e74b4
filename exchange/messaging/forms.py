"""The message form."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..core.idempotency import IdempotentFormMixin
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
