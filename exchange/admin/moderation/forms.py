"""Forms for reporting and for resolving reports."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...core.idempotency import IdempotentFormMixin
from ...i18n import _l


class ReportForm(IdempotentFormMixin, FlaskForm):
    """Why something should be looked at."""

    reason = TextAreaField(
        _l("What is wrong?"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(message=_l("Say briefly what is wrong.")),
            Length(max=1000, message=_l("The reason can be at most 1000 characters long.")),
        ],
    )


class ResolveForm(FlaskForm):
    """A short note on what was done."""

    outcome = StringField(_l("What was done?"), validators=[Optional(), Length(max=200)])


class AnswerFeedbackForm(FlaskForm):
    """What the town hall answered to a barrier report."""

    note = StringField(_l("What was answered or done?"), validators=[Optional(), Length(max=500)])
