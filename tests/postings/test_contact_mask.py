"""Phone numbers and e-mail addresses in a posting's text: found, masked, nothing else touched."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from exchange.postings.contact_mask import (
    EMAIL,
    PHONE,
    find_contacts,
    mask_contacts,
    mask_text,
    masked,
    placeholders,
)

MASKED_PHONES = [
    "0170 1234567",
    "01701234567",
    "0170-123 45 67",
    "0170.1234567",
    "0170 / 123 45 67",
    "05250/12345",
    "05250 / 12 34 5",
    "(05250) 98765",
    "0521 1234",
    "+49 (0)5250 12-345",
    "+49 (0) 5250 / 12345",
    "+49 170 1234567",
    "+491701234567",
    "0049 5250 12345",
    "0049-170-1234567",
    "+43 1 2345678",
]

# (text, what must stay) – dates, times, prices, postcodes, years, hours, short numbers
KEPT = [
    "am 12.05.2026 um 10.30 Uhr",
    "Treffen 12.05. oder 14.05.",
    "12/05/2026",
    "2026-05-12",
    "von 2025 bis 2026",
    "Saison 2025-2026",
    "15 € pro Stunde",
    "15,50 €",
    "1.500 € Spende",
    "33129 Delbrück",
    "01067 Dresden",
    "3 Stunden",
    "0,5 Stunden",
    "Hausnummer 12",
    "Notruf 112",
    "10-12 Uhr",
    "08.30-12.00 Uhr",
    "01.01.2026 - 31.12.2026",
    "Kinder von 6-10 Jahren",
    "2 x 3 Stunden am 3.4.",
    "Größe 38/40",
    "Tel. bitte über die Börse",
]


@pytest.fixture
def hidden(app):
    """The placeholders of the default language."""
    with app.test_request_context():
        yield placeholders()


@pytest.mark.parametrize("number", MASKED_PHONES)
def test_phone_numbers_are_masked(hidden, number):
    text = f"Bitte anrufen: {number}, gerne abends."
    assert mask_text(text) == f"Bitte anrufen: {hidden[PHONE]}, gerne abends."


@pytest.mark.parametrize("text", KEPT)
def test_dates_prices_postcodes_and_short_numbers_stay(hidden, text):
    assert find_contacts(text) == []
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tel. 12 34 56", "Tel. {phone}"),
        ("Telefon: 123456", "Telefon: {phone}"),
        ("Handy 1234-567", "Handy {phone}"),
        ("Nummer 123456 ist privat", "Nummer 123456 ist privat"),  # no phone word before
        ("am 12.05.2026 0170 1234567", "am 12.05.2026 {phone}"),
        ("0170 1234567 ab 12.05.2026", "{phone} ab 12.05.2026"),
        ("0170 1234567 12.05.2026", "{phone} 12.05.2026"),
        ("+49 5250 12.05.20", "{phone}"),  # a date-like end of a number is the number's
        ("123456789", "{phone}"),
        ("max.mustermann@example.de", "{email}"),
        ("Schreib an max (at) example.de!", "Schreib an {email}!"),
        ("max[at]example[dot]de", "{email}"),
        ("erna.m (at) mail.example.org", "{email}"),
        ("Ruf 05250 1234 @web.de", "Ruf {phone} @web.de"),
        ("oma_2@t-online.de oder 0170 1234567", "{email} oder {phone}"),
        ("Treffen @ Rathaus. Danke", "Treffen @ Rathaus. Danke"),
        ("E-Mail: folgt (at) Wunsch", "E-Mail: folgt (at) Wunsch"),
    ],
)
def test_examples(hidden, text, expected):
    assert mask_text(text) == expected.format(phone=hidden[PHONE], email=hidden[EMAIL])


def test_markup_is_escaped_and_placeholders_kept(hidden):
    result = mask_contacts('<b>Ruf an</b> "0170 1234567" & schreib: a@b.de')
    assert isinstance(result, Markup)
    assert "<b>" not in result and "&lt;b&gt;" in result and "&amp;" in result
    assert "1234567" not in result and "a@b.de" not in result
    assert str(Markup.escape(hidden[PHONE])) in result
    # Markup given is read as the text it stands for, and not escaped twice.
    assert mask_contacts(result) == result
    assert mask_contacts(None) == "" and mask_text(None) == ""


def test_masked_keeps_plain_titles_as_they_are(hidden):
    title = "Äpfel & Birnen"
    assert masked(title) is title
    assert isinstance(masked("Ruf 0170 1234567"), Markup)


def test_placeholders_follow_the_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert mask_text("0170 1234567") == "[phone number hidden]"
        assert mask_text("a@example.org") == "[e-mail address hidden]"


# --- properties ------------------------------------------------------------------------------

# Text around a number: anything but digits (Unicode digits too), which would make it longer.
around = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30).filter(
    lambda t: not re.search(r"\d", t)
)
separator = st.sampled_from([" ", "", "/", " / ", "-", " - ", ".", "  "])


def _groups(draw, digits: str) -> str:
    """digits split into groups by random separators."""
    parts, rest = [], digits
    while rest:
        size = draw(st.integers(1, 5))
        parts.append(rest[:size])
        rest = rest[size:]
    return "".join(p + (draw(separator) if i < len(parts) - 1 else "") for i, p in enumerate(parts))


@st.composite
def phone_numbers(draw) -> tuple[str, str]:
    """(a German or international number as people type it, its digits)."""
    area = draw(st.from_regex(r"[1-9][0-9]{1,4}", fullmatch=True))
    subscriber = draw(st.from_regex(r"[0-9]{4,8}", fullmatch=True))
    style = draw(st.sampled_from(["national", "mobile", "+49", "+49 (0)", "0049"]))
    if style == "mobile":
        area = draw(st.from_regex(r"1[5-7][0-9]{1,2}", fullmatch=True))
        subscriber = draw(st.from_regex(r"[0-9]{7,8}", fullmatch=True))
    head = {"national": "0", "mobile": "0", "+49": "+49 ", "+49 (0)": "+49 (0)", "0049": "0049 "}
    number = head[style] + area + draw(separator) + _groups(draw, subscriber)
    return number, re.sub(r"\D", "", number)


def _digit_runs(text: str) -> list[str]:
    """The digits of every stretch of digits and separators in text."""
    return [re.sub(r"\D", "", run) for run in re.findall(r"\d[\d \t/.\-()–]*", text)]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(before=around, number=phone_numbers(), after=around)
def test_a_masked_number_never_shows_six_of_its_digits(hidden, before, number, after):
    typed, digits = number
    result = mask_text(f"{before} {typed} {after}")
    pieces = {digits[i : i + 6] for i in range(len(digits) - 5)}
    for run in _digit_runs(result):
        assert not any(piece in run for piece in pieces), (typed, result)
    assert hidden[PHONE] in result


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(text=st.text(max_size=200))
def test_any_text_is_masked_without_error_and_masking_twice_changes_nothing(hidden, text):
    once = mask_text(text)
    assert mask_text(once) == once
    markup = mask_contacts(text)
    assert mask_contacts(markup) == markup
    assert "<" not in markup and markup.unescape() == once


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(KEPT + MASKED_PHONES + ["a@b.de", "x (at) y.org", "Tel.", "\n"]),
            st.text(max_size=12),
        ),
        max_size=8,
    ).map(" ".join)
)
def test_masking_mixed_text_is_idempotent(hidden, text):
    once = mask_text(text)
    assert mask_text(once) == once


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(
    local=st.from_regex(r"[a-z][a-z0-9._-]{0,15}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9-]{0,15}[a-z0-9]", fullmatch=True),
    tld=st.sampled_from(["de", "org", "com", "info", "nrw"]),
    at=st.sampled_from(["@", "@ ", " (at) ", "[at]", " [at] ", "(ät)"]),
    dot=st.sampled_from([".", "[dot]", " (dot) ", "(punkt)"]),
    before=around,
)
def test_e_mail_addresses_never_show(hidden, local, domain, tld, at, dot, before):
    address = f"{local}{at}{domain}{dot}{tld}"
    result = mask_text(f"{before} {address} danke")
    assert hidden[EMAIL] in result
    assert f"{domain}{dot}{tld}" not in result
