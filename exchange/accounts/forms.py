"""Account forms: registration, sign-in, password reset, profile, deletion."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from ..formfields import BlankableDateField, NoBidiControls
from ..i18n import _l
from ..municipalities.location_fields import location_fields
from .passwords import MAX_LENGTH
from .vocab import MatchEmailFrequency


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def address_field(label, required_message) -> EmailField:
    """An e-mail address someone gives as theirs: required, at most 254 characters, well-formed."""
    return EmailField(
        label,
        filters=[_lower],
        validators=[
            DataRequired(message=required_message),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )


class RegistrationForm(FlaskForm):
    """Create an account."""

    display_name = StringField(
        _l("First and last name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=80, message=_l("The name can be at most 80 characters long.")),
            NoBidiControls(),
        ],
    )
    email = address_field(_l("E-mail address"), _l("Enter your e-mail address."))
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Choose a password."))]
    )
    password_repeat = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    birth_date = BlankableDateField(
        _l("Date of birth"),
        validators=[InputRequired(message=_l("Enter your date of birth, for example 17.05.1950."))],
    )
    municipality = SelectField(
        _l("Municipality"), validators=[DataRequired(message=_l("Choose your municipality."))]
    )
    district, postcode = location_fields()
    phone = TelField(
        _l("Phone number"),
        filters=[_strip],
        validators=[Optional(), Length(max=40, message=_l("The phone number is too long."))],
    )
    # Required by the service only under 16 (no JavaScript: always shown, with a hint).
    parent_email = EmailField(
        _l("E-mail address of a parent or guardian"),
        filters=[_lower],
        validators=[
            Optional(),
            Length(max=254),
            Email(
                message=_l("Enter an e-mail address like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )
    accepts_privacy = BooleanField(
        _l("I have read the privacy notice and agree that my data is processed for the exchange."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice."))],
    )
    accepts_terms = BooleanField(
        _l("I have read the terms of use and the code of conduct and agree to them."),
        validators=[
            DataRequired(message=_l("Please agree to the terms of use and the code of conduct."))
        ],
    )


class AcceptTermsForm(FlaskForm):
    """Accept the current version of the Kommune's terms (the template sends its number)."""

    accepts = BooleanField(
        _l("I have read the terms of use and the code of conduct and agree to them."),
        validators=[
            DataRequired(message=_l("Please agree to the terms of use and the code of conduct."))
        ],
    )
    version = IntegerField(validators=[InputRequired()])


class LoginForm(FlaskForm):
    """Sign in."""

    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=[DataRequired(message=_l("Enter your e-mail address."))],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    remember = BooleanField(_l("Stay signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    """Ask for a reset link."""

    email = EmailField(
        _l("E-mail address"),
        filters=[_lower],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Email(
                message=_l("Enter an e-mail address like name@example.org."),
                check_deliverability=False,
            ),
        ],
    )


class NewPasswordForm(FlaskForm):
    """Set a new password (reset link)."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(message=_l("Choose a password."))]
    )
    password_repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    """Change the password while signed in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )


class ProfileForm(FlaskForm):
    """Edit one's own profile."""

    display_name = StringField(
        _l("First and last name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=80, message=_l("The name can be at most 80 characters long.")),
            NoBidiControls(),
        ],
    )
    district, postcode = location_fields()
    phone = TelField(
        _l("Phone number"),
        filters=[_strip],
        validators=[Optional(), Length(max=40, message=_l("The phone number is too long."))],
    )
    locale = SelectField(_l("Language"))
    has_email_notifications = BooleanField(_l("Tell me about new messages by e-mail"))
    match_email_frequency = SelectField(
        _l("E-mails about new postings that fit"),
        choices=MatchEmailFrequency.choices(),
        default=MatchEmailFrequency.IMMEDIATE,
    )


class DeleteAccountForm(FlaskForm):
    """Confirm the deletion of the account."""

    password = PasswordField(
        _l("Your password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    confirm = BooleanField(
        _l("Yes, delete my account and my postings for good."),
        validators=[
            DataRequired(message=_l("Please confirm that you want to delete your account."))
        ],
    )


__all__ = [
    "ChangePasswordForm",
    "DeleteAccountForm",
    "ForgotPasswordForm",
    "LoginForm",
    "MAX_LENGTH",
    "NewPasswordForm",
    "ProfileForm",
    "RegistrationForm",
]


class ActivationForm(FlaskForm):
    """Turn a proxy account into one's own login with the code from the letter."""

    code = StringField(
        _l("Activation code"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Enter the code from the letter.")),
            Length(max=40, message=_l("This code is not valid.")),
        ],
    )
    email = address_field(_l("E-mail address"), _l("Enter your e-mail address."))
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Choose a password."))]
    )
    password_repeat = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )
    accepts_privacy = BooleanField(
        _l("I have read the privacy notice and agree that my data is processed for the exchange."),
        validators=[DataRequired(message=_l("Please agree to the privacy notice."))],
    )


class ChangeEmailForm(FlaskForm):
    """Ask to change the e-mail address (takes effect once the new one is confirmed)."""

    email = address_field(_l("New e-mail address"), _l("Enter your new e-mail address."))
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
