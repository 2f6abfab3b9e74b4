"""The default statement: honest about what the software does and does not do, translated.

Shown until a Kommune's admins change a part; a part they leave as it is keeps following the
reader's language.
"""

from __future__ import annotations

from ...i18n import _, _l

# (what, why, the accessible alternative)
DEFAULT_LIMITATIONS = (
    (
        _l("Texts written by residents (postings and messages)"),
        _l(
            "Residents publish their postings and messages as they write them. Nobody checks "
            "these texts for plain language, abbreviations or spelling."
        ),
        _l(
            "Call the town hall: the staff read a posting out to you and explain it, and they "
            "can write a posting for you."
        ),
    ),
    (
        _l("Letters as PDF files (the letter with the activation code, the Vermittlungsblatt)"),
        _l(
            "The PDF files are made for printing and posting. They may not be fully accessible "
            "with a screen reader."
        ),
        _l(
            "The town hall reads the letter out to you on the phone or sends you its text "
            "as a plain e-mail."
        ),
    ),
    (
        _l("Videos in German Sign Language (DGS)"),
        _l(
            "There is no video in German Sign Language unless the municipality adds one to "
            "this website."
        ),
        _l(
            "Write to the town hall with the form on this page or by e-mail; the answer comes "
            "in writing."
        ),
    ),
)


def default_limitations() -> list[dict]:
    """The default list of parts that are not accessible, in the current language."""
    return [
        {"what": str(what), "why": str(why), "alternative": str(alternative)}
        for what, why, alternative in DEFAULT_LIMITATIONS
    ]


def default_prepared_by(municipality_name: str) -> str:
    """Who prepared the default statement, in the current language."""
    return _(
        "The town hall of %(name)s, based on the self-assessment of the software",
        name=municipality_name,
    )
