"""Catalogs complete (de, fr, ar, fa), placeholders intact, German shown by default."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import text_of

ROOT = Path(__file__).resolve().parent.parent / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(lang):
    with open(ROOT / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def template_ids():
    with open(ROOT / "messages.pot", "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", ["de", "fr", "ar", "fa"])
def test_catalog_is_complete(lang):
    german = catalog(lang)
    untranslated = [m.id for m in german if m.id and (not m.string or not all(m.string) or m.fuzzy)]
    assert untranslated == []
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in german if m.id}
    assert template_ids() <= ids, "run `make update-translations`"


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa"])
def test_placeholders_survive_translation(lang):
    for message in catalog(lang):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else message.string
        for string in strings:
            if string:
                assert set(PLACEHOLDER.findall(string)) <= set(
                    PLACEHOLDER.findall(source) + ["num"]
                ), (
                    lang,
                    source,
                )


def test_pages_are_german_by_default(client, delbrueck):
    page = text_of(client.get("/k/delbrueck/"))
    assert "Nachbarschaftshilfe in Delbrück" in page and "Zum Inhalt springen" in page
    assert "noch keine Einträge" in page
    assert "Seite nicht gefunden" in text_of(client.get("/k/delbrueck/postings/999"))
