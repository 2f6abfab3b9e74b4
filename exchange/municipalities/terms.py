"""A Kommune's terms of use and code of conduct, in published versions.

Version 1 is the default text (translated, below) until the Kommune's admins publish their own;
every publication is a new row with the next number, and every resident accepts it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _
from ..timeutil import UTCDateTime, utcnow
from .models import Municipality

DEFAULT_VERSION = 1
MAX_TEXT_LENGTH = 30000


class TermsVersion(db.Model):
    """One published version of a Kommune's terms of use and code of conduct."""

    __tablename__ = "terms_version"
    __table_args__ = (
        UniqueConstraint("municipality_id", "version"),
        CheckConstraint("version >= 1", name="version_from_one"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    terms_text: Mapped[str] = mapped_column(Text)
    conduct_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The admin who published it (None once that account is deleted).
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )


@dataclass(frozen=True)
class Terms:
    """What a Kommune's residents agree to now: the version and both texts."""

    version: int
    terms_text: str
    conduct_text: str
    published_at: datetime | None = None

    @property
    def is_default(self) -> bool:
        """True while the Kommune has published nothing of its own."""
        return self.published_at is None


def current_terms_version(municipality_id: int | None) -> int:
    """The number of the Kommune's current version (1, the default, until one is published)."""
    if municipality_id is None:
        return DEFAULT_VERSION
    found = db.session.scalar(
        select(func.max(TermsVersion.version)).where(
            TermsVersion.municipality_id == municipality_id
        )
    )
    return found or DEFAULT_VERSION


def current_terms(municipality: Municipality | None) -> Terms:
    """The Kommune's current terms and code of conduct; the default text while none is published."""
    row = None
    if municipality is not None:
        row = db.session.scalar(
            select(TermsVersion)
            .where(TermsVersion.municipality_id == municipality.id)
            .order_by(TermsVersion.version.desc())
            .limit(1)
        )
    if row is None:
        name = municipality.name if municipality is not None else ""
        return Terms(DEFAULT_VERSION, default_terms_text(name), default_conduct_text(name))
    return Terms(row.version, row.terms_text, row.conduct_text, row.published_at)


def _clean(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def publish_terms(
    municipality: Municipality,
    *,
    terms_text: str,
    conduct_text: str,
    published_by_id: int | None,
) -> TermsVersion:
    """Publish the next version; every resident must accept it again. Flushes, never commits."""
    terms_text, conduct_text = _clean(terms_text), _clean(conduct_text)
    if not terms_text:
        raise ExchangeError(_("Enter the terms of use."), "terms_text")
    if not conduct_text:
        raise ExchangeError(_("Enter the code of conduct."), "conduct_text")
    for field, text in (("terms_text", terms_text), ("conduct_text", conduct_text)):
        if len(text) > MAX_TEXT_LENGTH:
            raise ExchangeError(
                _("The text can be at most %(n)s characters long.", n=MAX_TEXT_LENGTH), field
            )
    current = current_terms(municipality)
    if (terms_text, conduct_text) == (_clean(current.terms_text), _clean(current.conduct_text)):
        raise ExchangeError(
            _("Nothing has changed: the texts are the same as version %(v)s.", v=current.version)
        )
    row = TermsVersion(
        municipality_id=municipality.id,
        version=current.version + 1,
        terms_text=terms_text,
        conduct_text=conduct_text,
        published_by_id=published_by_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _sections(pairs: list[tuple[str, str]]) -> str:
    return "\n\n".join(
        f"{number}. {heading}\n{body}" for number, (heading, body) in enumerate(pairs, start=1)
    )


def default_terms_text(name: str) -> str:
    """The default terms of use, in the current language."""
    # Without a Kommune (the platform's page) the name stands in every sentence as a phrase
    # that fits after a preposition ("von Ihrer Kommune", "in Ihrer Kommune").
    name = name or _("your municipality")
    return _sections(
        [
            (
                _("What the exchange is"),
                _(
                    "The neighbourhood exchange of %(name)s brings together residents who need "
                    "help and residents who offer help, time or things. The exchange only brings "
                    "people together. It is not an employer and not an agency, and it is not a "
                    "party to any agreement: every agreement about help, a job, pay or a swap is "
                    "made between the residents themselves.",
                    name=name,
                ),
            ),
            (
                _("Who can take part"),
                _(
                    "Everyone who lives in %(name)s can register from the age of 13. Under 16, a "
                    "parent or guardian must agree. Register with your real first and last name; "
                    "one account per person. People without internet can be registered by the "
                    "town hall.",
                    name=name,
                ),
            ),
            (
                _("No advertising, no business"),
                _(
                    "The exchange is for help between neighbours. Advertising and commercial "
                    "offers are not allowed. Pocket-money jobs for young helpers are welcome."
                ),
            ),
            (
                _("Young helpers"),
                _(
                    "The youth labour protection law (Jugendarbeitsschutzgesetz) applies to "
                    "helpers under 18. Children from 13 and pupils in full-time school may only do "
                    "light work, with the consent of their parents, at most 2 hours a day and "
                    "only between 08:00 and 18:00, not before or during school lessons, not on "
                    "Sundays and public holidays. Whoever asks a young person for help keeps to "
                    "these rules."
                ),
            ),
            (
                _("No liability"),
                _(
                    "Neither the exchange nor the town hall of %(name)s is liable for jobs, help "
                    "or swaps arranged here, or for damage or accidents that happen during them. "
                    "They do not guarantee that anything is done or paid as agreed. Please "
                    "clarify insurance before you start, for example your personal liability "
                    "insurance. Regular paid work may be a mini-job with its own rules.",
                    name=name,
                ),
            ),
            (
                _("Your contact details"),
                _(
                    "Others see only your first name, the initial of your last name and your "
                    "district. Your e-mail address, phone number and address are shared only when "
                    "you choose to share them with someone. The privacy notice says more."
                ),
            ),
            (
                _("Moderation and blocking"),
                _(
                    "Everyone can report a posting or a message. The town hall checks reports. It "
                    "may hide postings and block accounts that break these terms or the code of "
                    "conduct; a blocked account cannot sign in."
                ),
            ),
            (
                _("Changes"),
                _(
                    "When these terms or the code of conduct change, you are asked to read and "
                    "accept the new version the next time you sign in. You can delete your "
                    "account at any time in your profile."
                ),
            ),
        ]
    )


def default_conduct_text(name: str) -> str:
    """The default code of conduct, in the current language."""
    return _sections(
        [
            (
                _("Use your real name"),
                _("Register and write under your real name. Do not pretend to be someone else."),
            ),
            (
                _("No advertising"),
                _(
                    "No advertising, no commercial offers, no sales for profit. The exchange is "
                    "for neighbours helping neighbours."
                ),
            ),
            (
                _("Be respectful"),
                _(
                    "Be friendly and patient. No insults, threats, discrimination or harassment. "
                    "Many people here use the internet for the first time."
                ),
            ),
            (
                _("Contact details only by choice"),
                _(
                    "Share your phone number or address only when you want to, in a conversation "
                    "with someone you chose. Do not ask others, and never young people, for "
                    "private contact details."
                ),
            ),
            (
                _("Keep your word"),
                _("Keep to what you agreed. If you cannot come, say so in good time."),
            ),
            (
                _("Protect young helpers"),
                _(
                    "Ask young helpers only for light, safe work: at most 2 hours a day, between "
                    "08:00 and 18:00, not on Sundays and public holidays, with their parents' "
                    "consent. No heavy loads, no machines, no alcohol or tobacco."
                ),
            ),
            (
                _("Report problems"),
                _(
                    'If something is wrong, use "Report" on the posting or message, or call the '
                    "town hall. Postings that break these rules are hidden; accounts may be "
                    "blocked."
                ),
            ),
        ]
    )
