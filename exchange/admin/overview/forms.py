"""The figures page's choice of period and year (GET, no CSRF needed for a read)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField

from ...i18n import _l
from .council import DEFAULT_PERIOD


class FiguresFilterForm(FlaskForm):
    """Period (months, quarters, the year) and year; invalid values fall back to the defaults."""

    class Meta:
        csrf = False

    period = SelectField(
        _l("Figures per"),
        choices=[("year", _l("Year")), ("quarter", _l("Quarter")), ("month", _l("Month"))],
        default=DEFAULT_PERIOD,
    )
    year = SelectField(_l("Year"), coerce=int)

    def chosen(self, years: list[int], default_year: int) -> tuple[int, str]:
        """The valid year and period of the request (the defaults for anything else)."""
        self.year.choices = [(y, str(y)) for y in years]
        period = self.period.data if self.period.data in dict(self.period.choices) else None
        try:
            year = int(self.year.raw_data[0]) if self.year.raw_data else default_year
        except ValueError:
            year = default_year
        if year not in years:
            year = default_year
        self.year.data = year
        self.period.data = period or DEFAULT_PERIOD
        return year, self.period.data
