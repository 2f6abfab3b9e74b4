"""The admins' markup for the Leichte-Sprache text: blocks and safe links, no HTML."""

from exchange.municipalities.easy_language.markup import is_safe_href, parse, segments


def test_blank_lines_lists_and_headings_make_blocks():
    blocks = parse("## Titel\r\nErster Satz.\r\nZweiter Satz.\r\n\r\n- eins\n- zwei\nDanach.\n\n\n")
    assert [(b.kind, b.lines) for b in blocks] == [
        ("heading", [[("Titel", None)]]),
        ("paragraph", [[("Erster Satz.", None)], [("Zweiter Satz.", None)]]),
        ("list", [[("eins", None)], [("zwei", None)]]),
        ("paragraph", [[("Danach.", None)]]),
    ]


def test_links_only_to_safe_addresses():
    assert segments("Gehen Sie auf die [Übersicht](/k/delbrueck/).") == [
        ("Gehen Sie auf die ", None),
        ("Übersicht", "/k/delbrueck/"),
        (".", None),
    ]
    for bad in ("javascript:alert(1)", "//evil.example/", "http://plain.example/", "data:x"):
        assert not is_safe_href(bad)
        assert segments(f"[klick]({bad})") == [(f"[klick]({bad})", None)]
    for good in ("https://video.example/dgs", "tel:+4952509960", "mailto:a@b.example", "/x"):
        assert is_safe_href(good)
