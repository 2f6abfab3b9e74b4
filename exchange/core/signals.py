"""Hooks through which a lower layer sets off a higher one without importing it.

Layers go one way (docs/architecture.md): postings may not import matching, accounts may not
import admin. Where a lower layer must still let a higher one act — a new posting has to reach
the people it matches, an erasure has to reach every table — it sends one of these signals and
the higher layer connects a receiver in its ``hooks.py`` (imported by the app factory). The
receivers run synchronously in the sender's transaction: they flush, the view commits once.
Modelled on indico's ``core/signals``; blinker ships with Flask.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# --- postings ----------------------------------------------------------------------------------

posting_published = _signals.signal(
    "posting-published",
    doc="""A posting went (back) on the board; sender: the Posting. Matching tells whom it fits.""",
)
posting_reopened = _signals.signal(
    "posting-reopened",
    doc="""A posting is open again; sender: the Posting. Messaging clears its chosen helper.""",
)
posting_access = _signals.signal(
    "posting-access",
    doc="""May ``user`` see the posting off the board; sender: the Posting. True from a receiver
    opens it (messaging: she responded to it).""",
)
posting_page = _signals.signal(
    "posting-page",
    doc="""The detail page of a posting is rendered; sender: the Posting, ``viewer``: the user.

    Each receiver returns a dict of template variables (the author's responses, the viewer's
    own conversation, the matches), so the page shows what higher layers know about it.""",
)

# --- messaging ---------------------------------------------------------------------------------

proxy_message_received = _signals.signal(
    "proxy-message-received",
    doc="""A message arrived for a proxy account; sender: the proxy User, ``conversation``;
    ``chosen=True`` when instead an author chose the proxy as the helper.

    Nobody reads a proxy's mail: the Kommune's admin area tells its admins.""",
)

# --- accounts: privacy -------------------------------------------------------------------------

proxy_activated = _signals.signal(
    "proxy-activated",
    doc="""A proxy account got its own login; sender: the User, ``now``: when.""",
)
personal_texts = _signals.signal(
    "personal-texts",
    doc="""Before an erasure: what identifies her or is her words; sender: the User.

    Each receiver returns ``(identifiers, texts)``, two lists of strings; they are cut out of
    e-mails to other people still in the outbox.""",
)
account_unlinking = _signals.signal(
    "account-unlinking",
    doc="""Erasure, first step; sender: the User.

    Every package removes what points at her things (call notes on her conversations, reports
    and notifications about her postings, conversations' link to her postings), so that the
    second step can delete those things in any order.""",
)
account_erasing = _signals.signal(
    "account-erasing",
    doc="""Erasure, second step; sender: the User, ``pseudonym``: what replaces her name.

    Every package erases or anonymises its rows about her; the account row goes afterwards.""",
)
export_requested = _signals.signal(
    "export-requested",
    doc="""The personal data export; sender: the User.

    Each receiver returns ``(sections, tables)``: a dict of export sections and the set of the
    table names those sections already cover (every other table referring to her is dumped row
    by row).""",
)


def results(signal, sender, **kwargs) -> list:
    """The return values of every receiver of signal, in the order they answered."""
    return [value for _receiver, value in signal.send(sender, **kwargs)]
