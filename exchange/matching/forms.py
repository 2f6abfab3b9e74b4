"""Saving a search from the board's filters."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import Optional

from ..core.idempotency import IdempotentFormMixin


class SaveSearchForm(IdempotentFormMixin, FlaskForm):
    """The board's current filters, posted to save them as a search."""

    direction = HiddenField(validators=[Optional()])
    kind = HiddenField(validators=[Optional()])
    category = HiddenField(validators=[Optional()])
    district = HiddenField(validators=[Optional()])
    near = HiddenField(validators=[Optional()])
    radius = HiddenField(validators=[Optional()])
