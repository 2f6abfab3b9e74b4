"""What a match list shows, computed in Python once per match instead of in a Jinja macro.

As for the board's cards (exchange/postings/cards.py): the constant labels come from a
per-locale table, the reasons from describe's per-locale words, and the addresses from one
url_for per Kommune and list. The labels are markup, as the template's own lookups were (a
translation from _() in a template and a lazy label are not escaped); titles and reasons are
plain text, escaped by Jinja. Titles are other people's: their phone numbers and e-mail
addresses are masked (a masked title is markup, escaped already).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from ..i18n import _, per_locale
from ..postings.categories import DIRECTIONS, KIND_SHORT
from ..postings.contact_mask import masked
from ..postings.models import adult_on, is_minor_until
from .describe import describe_in, words

# Stands for the posting id in an address built once per list; the id is the last number of
# the route, after the Kommune's slug, so the last occurrence is replaced.
_ID = 987654321


@dataclass(frozen=True, slots=True)
class MatchCard:
    """The display values of one suggested posting."""

    title: str
    url: str
    respond_url: str
    badge: str
    direction: Markup
    kind: Markup
    reason: str
    action: Markup


@dataclass(frozen=True, slots=True)
class NoteCard:
    """The display values of one notification about a new posting."""

    title: str
    url: str
    reason: str
    is_new: bool


@per_locale
def _labels() -> dict:
    """The translated constant words of a match, for the current locale."""
    return {
        "direction": {key: Markup(str(label)) for key, label in DIRECTIONS.items()},  # noqa: S704
        "kind": {key: Markup(str(label)) for key, label in KIND_SHORT.items()},  # noqa: S704
        "help": Markup(_("I can help")),  # noqa: S704 - a translation, as in a template
        "interested": Markup(_("I am interested")),  # noqa: S704
    }


def _by_a_minor(other) -> bool:
    """The other posting's author is under 18 (a Posting, or a candidate row with her birth)."""
    if hasattr(other, "author_adult_on"):
        return is_minor_until(other.author_adult_on)
    return is_minor_until(adult_on(getattr(other, "author_birth_date", None)))


def _shown_reasons(match, other):
    # A minor's place is not told outside her conversations: no distance, only the rest.
    if _by_a_minor(other):
        return [reason for reason in match.reasons if reason[0] != "distance"]
    return match.reasons


def _filler(endpoint: str, slug: str):
    head, _sep, tail = url_for(endpoint, slug=slug, posting_id=_ID).rpartition(str(_ID))
    return lambda posting_id: f"{head}{posting_id}{tail}"


class Cards:
    """Builds the cards of one page: labels, words and addresses looked up once."""

    def __init__(self) -> None:
        self.labels = _labels()
        self.words = words()
        self._fillers: dict[tuple[str, str], object] = {}

    def _addresses(self, endpoint: str, slug: str):
        key = (endpoint, slug)
        fill = self._fillers.get(key)
        if fill is None:
            fill = self._fillers[key] = _filler(endpoint, slug)
        return fill

    def matches(self, matches, slug: str) -> list[MatchCard]:
        """Cards for (match, other posting) pairs of one posting, whose Kommune has slug.

        other is a Posting or a candidate row (id, title, direction, kind); a match is always
        within one Kommune, so slug is the other posting's too.
        """
        labels, words_ = self.labels, self.words
        detail = self._addresses("postings.detail", slug)
        respond = self._addresses("postings.respond", slug)
        directions, kinds = labels["direction"], labels["kind"]
        cards = []
        for match, other in matches:
            is_request = other.direction == "request"
            cards.append(
                MatchCard(
                    title=masked(other.title),
                    url=detail(other.id),
                    respond_url=respond(other.id),
                    badge="info" if is_request else "success",
                    direction=directions[other.direction],
                    kind=kinds[other.kind],
                    reason=describe_in(_shown_reasons(match, other), words_),
                    action=labels["help"] if is_request else labels["interested"],
                )
            )
        return cards

    def notes(self, notifications, unread_ids) -> list[NoteCard]:
        """Cards for notifications whose posting still exists, in their order.

        A blocked author's postings are left out: they are off the board.
        """
        cards = []
        for note in notifications:
            posting = note.posting
            if not posting or posting.author.is_blocked:
                continue
            cards.append(
                NoteCard(
                    title=masked(posting.title),
                    url=self._addresses("postings.detail", posting.municipality.slug)(posting.id),
                    reason=describe_in(_shown_reasons(note, posting), self.words),
                    is_new=note.id in unread_ids,
                )
            )
        return cards


def match_cards(matches, slug: str) -> list[MatchCard]:
    """Cards for the (match, other posting) pairs of one posting in the Kommune slug."""
    return Cards().matches(matches, slug)
