"""The closed vocabularies: their values, their labels in every language, and their use."""

import ast
from pathlib import Path

import pytest
from babel.support import Translations
from flask_babel import force_locale

from exchange.accounts.vocab import MatchEmailFrequency, Role
from exchange.admin.proxies.vocab import ConsentMethod
from exchange.matching import engine
from exchange.postings.vocab import OPEN_STATUSES, Direction, Kind, Status, Timing

VOCABULARIES = (Status, Direction, Kind, Timing, Role, MatchEmailFrequency, ConsentMethod)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def test_values_are_the_strings_kept_in_the_database():
    assert [s.value for s in Status] == [
        "open",
        "in_contact",
        "assigned",
        "done",
        "closed",
        "hidden",
    ]
    assert [d.value for d in Direction] == ["request", "offer"]
    assert [k.value for k in Kind] == ["taschengeld", "zeitspende", "tausch", "ehrenamt"]
    assert [t.value for t in Timing] == ["flexible", "date", "recurring"]
    assert [r.value for r in Role] == ["resident", "admin", "superadmin"]
    assert Status.OPEN == "open" and {"open": 1}[Status.OPEN] == 1
    assert Status.has("in_contact") and not Status.has("expired") and not Status.has(None)


def test_the_pure_matching_engine_spells_the_same_values():
    assert engine.OPEN_STATUSES == OPEN_STATUSES
    assert {engine.REQUEST, engine.OFFER} == set(Direction)
    assert set(engine.KIND_GROUPS) == set(Kind) and engine.TASCHENGELD == Kind.TASCHENGELD


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
@pytest.mark.parametrize("locale", ["de", "en", "fr", "ar", "fa"])
def test_every_label_is_translated_into_every_language(app, vocabulary, locale):
    catalog = Translations.load(str(TRANSLATIONS), [locale])
    with app.test_request_context(), force_locale(locale):
        for member in vocabulary:
            for label in {member.label, member.short_label}:
                shown = str(label)
                assert shown, member
                if locale != "en":
                    msgid = label._args[0]
                    translated = catalog.gettext(msgid)
                    assert translated != msgid or catalog._catalog.get(msgid), (locale, msgid)
                    assert shown == translated
        # Two values never read the same.
        assert len({str(m.label) for m in vocabulary}) == len(vocabulary)


def test_labels_follow_the_language_of_the_request(app):
    with app.test_request_context():
        with force_locale("de"):
            assert str(Status.IN_CONTACT.label) == "In Kontakt"
            assert str(Kind.TAUSCH.short_label) == "Tauschbörse"
        with force_locale("en"):
            assert str(Status.IN_CONTACT.label) == "In contact"
            assert str(Role.SUPERADMIN.label) == "Operator"


VOCABULARY_VALUES = {m.value for v in VOCABULARIES for m in v}


def _bare_literals(app, path: Path) -> list[tuple[int, str]]:
    """Vocabulary values written as string literals inside the template's Jinja code."""
    source = path.read_text(encoding="utf-8")
    strings = [
        (line, ast.literal_eval(raw))  # lex() gives the literal as written, quotes included
        for line, kind, raw in app.jinja_env.lex(source)
        if kind == "string"
    ]
    return [(line, value) for line, value in strings if value in VOCABULARY_VALUES]


def test_no_template_compares_with_a_bare_vocabulary_string(app):
    found = {
        str(path.relative_to(TEMPLATES)): hits
        for path in sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
        if (hits := _bare_literals(app, path))
    }
    assert found == {}, "use Status/Direction/Kind/Timing/Role or OPEN_STATUSES etc. instead"


def test_the_template_check_finds_a_bare_status(app, tmp_path):
    template = tmp_path / "card.html"
    source = """<p>{% if posting.status in ('open', "in_contact") %}open{% endif %}</p>"""
    template.write_text(source)
    assert _bare_literals(app, template) == [(1, "open"), (1, "in_contact")]
