"""Form fields and validators shared by several features."""

import re
from functools import lru_cache

from babel.support import Translations
from flask_babel import get_locale
from markupsafe import Markup
from wtforms import Choice, DateField, SelectField
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

from .i18n import _l, per_locale

# Embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) can make a name or
# title display as something else around it. The marks U+200E/U+200F stay allowed: Arabic and
# Farsi text needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class BlankableDateField(DateField):
    """A date field that treats an empty input as 'no date' instead of a format error.

    Browsers submit an empty string for an untouched date input; whether a date is required
    is then up to the form's validators, with their own plain message.
    """

    def process_formdata(self, valuelist):
        """Empty or whitespace-only input means None; anything else is parsed as usual."""
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            # Counted as no input at all, so InputRequired() refuses ' ' with its own message.
            self.raw_data = []
            return
        super().process_formdata(valuelist)


class OptionalSelectField(SelectField):
    """A select with an empty choice; a blank or whitespace-only answer means 'none chosen'.

    WTForms' Optional() stops validation for whitespace but keeps it as the data, so a
    submitted ' ' would pass as a choice. Stripping first makes it the empty choice.
    """

    def process_formdata(self, valuelist):
        """Strip the submitted value before the usual coercion."""
        if valuelist:
            valuelist = [valuelist[0].strip() if isinstance(valuelist[0], str) else valuelist[0]]
        super().process_formdata(valuelist)


class NoBidiControls:
    """Refuse the invisible characters that reorder the text shown around a name or title."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        """Raise a plain form error when the value holds a bidi control character."""
        if isinstance(field.data, str) and BIDI_CONTROLS.search(field.data):
            raise ValidationError(
                self.message
                or _l(
                    "Please remove the invisible characters that change the text direction "
                    "(they may come from copying the text)."
                )
            )


@lru_cache(maxsize=2048)
def _options(choices: tuple, selected) -> Markup:
    """The <option> elements of a choice list with one value selected (WTForms' markup)."""
    return Markup("").join(
        Select.render_option(choice)
        for choice in (Choice(value, label, value == selected, None) for value, label in choices)
    )


class CachedSelect(Select):
    """WTForms' select whose options are rendered once per choice list, language and selection.

    For selects of plain (translated) string choices with str values, like the board's
    filters: re-rendering a dozen escaped options per field and request was a tenth of the
    board's render time. The options depend only on the choices and the selected value, both
    part of the cache key, so nothing can leak between visitors.
    """

    def __call__(self, field, **kwargs):
        """Render like Select, with the options from the cache."""
        choices = tuple(field.choices)
        plain = all(
            isinstance(c, tuple) and len(c) == 2 and type(c[0]) is str and isinstance(c[1], str)
            for c in choices
        )
        if field.coerce is not str or field.has_groups() or not plain:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for flag in self.validation_attrs:
            if flag not in kwargs and getattr(field.flags, flag, None):
                kwargs[flag] = getattr(field.flags, flag)
        selected = field.data if isinstance(field.data, str) else None
        # html_params escapes every attribute; the options are WTForms' own escaped markup.
        return Markup(  # noqa: S704
            f"<select {html_params(name=field.name, **kwargs)}>"
            f"{_options(choices, selected)}</select>"
        )


@per_locale
def wtforms_translations() -> Translations:
    """WTForms' own messages in the current language, loaded once per language.

    Flask-WTF reads the catalog file again on every request that validates a form; a board
    request validates six selects, so that was a tenth of its render time.
    """
    from wtforms.i18n import messages_path

    return Translations.load(messages_path(), [get_locale()], domain="wtforms")
