"""The board's text search: what it reads of a posting, and the words of a search.

A posting's ``search_text`` is its title and text with every phone number and e-mail address cut
out (exchange/postings/contact_mask.py), case-folded in Python. Searching it with LIKE is then
the same on SQLite and PostgreSQL: "äpfel" finds "Äpfel" and "strasse" finds "Straße"
(SQLite's LOWER and LIKE fold ASCII letters only), and a contact masked for the reader can never
be what made a posting show up ("0176 1234567" finds nothing). Each word of a search must occur
in the posting, in its title or its text, not necessarily side by side.
"""

from __future__ import annotations

from .contact_mask import find_contacts

# More words than this narrow nothing a person would notice; the rest are ignored. Each count
# of words is one shape of the board's statement (exchange/postings/queries.py).
MAX_WORDS = 6


def _without_contacts(text: str) -> str:
    spans = find_contacts(text)
    if not spans:
        return text
    parts, position = [], 0
    for span in spans:
        parts.append(text[position : span.start])
        position = span.end
    parts.append(text[position:])
    return " ".join(parts)


def search_text(title: str | None, description: str | None) -> str:
    """What the board's search reads of a posting: title and text without contacts, folded."""
    # A line break between them: no word of a search spans both.
    return f"{_without_contacts(title or '')}\n{_without_contacts(description or '')}".casefold()


def search_words(q: str | None) -> tuple[str, ...]:
    """The distinct words of a search, case-folded, at most MAX_WORDS of them."""
    words: list[str] = []
    for word in (q or "").casefold().split():
        if word not in words:
            words.append(word)
    return tuple(words[:MAX_WORDS])
