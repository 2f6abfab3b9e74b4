"""The admins' forms for the Leichte-Sprache page: its text and check, and the DGS video."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField, URLField
from wtforms.validators import Optional, ValidationError

from ...formfields import BlankableDateField, NoBidiControls
from ...i18n import _l
from .markup import normalise
from .services import https_link_problem, text_problems


class EasyLanguageTextForm(FlaskForm):
    """The text in Leichte Sprache, and who checked it with readers and when."""

    body = TextAreaField(_l("Text in Leichte Sprache"), validators=[NoBidiControls()])
    checked_by = StringField(_l("Checked by"), validators=[NoBidiControls()])
    checked_on = BlankableDateField(_l("Checked on"), validators=[Optional()])

    def validate_with(self, today: date) -> bool:
        """Field checks, then the service's rules, so that every problem shows at once."""
        valid = self.validate()
        problems = text_problems(
            normalise(self.body.data or ""),
            " ".join((self.checked_by.data or "").split()),
            self.checked_on.data,
            today,
        )
        for key, message in problems.items():
            field = getattr(self, key)
            if not field.errors:
                field.errors = [*field.errors, message]
            valid = False
        return valid


class VideoUploadForm(FlaskForm):
    """An MP4 file with the page in German Sign Language."""

    video = FileField(
        _l("Video file (MP4)"), validators=[FileRequired(message=_l("Choose an MP4 video file."))]
    )


class VideoLinkForm(FlaskForm):
    """A link (https) to the video on another website."""

    url = URLField(_l("Address of the video"))

    def validate_url(self, field) -> None:
        """https only: the link leaves the site, so it must at least be encrypted."""
        problem = https_link_problem((field.data or "").strip())
        if problem:
            raise ValidationError(problem)
