"""Migration 7e9611624267 fills the new columns of existing postings (issue 10, A4 and A8)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from exchange.extensions import db
from tests.test_migrations import _empty_database

BEFORE = "0d9afd076ffb"


def _insert_postings(connection) -> None:
    connection.execute(
        text(
            "INSERT INTO municipality (id, slug, name, postcodes_csv, enabled_kinds_csv, "
            "theme_color, contact_text, imprint_text, privacy_text, accessibility_text, "
            "requires_approval, created_at) VALUES (1, 'delbrueck', 'Delbrück', '33129', "
            "'zeitspende', '#0b5ea8', '', '', '', '', false, CURRENT_TIMESTAMP)"
        )
    )
    for number, is_blocked in ((1, False), (2, True)):
        connection.execute(
            text(
                "INSERT INTO user_account (id, municipality_id, display_name, postcode, "
                "latitude, longitude, has_parental_consent, locale, role, is_proxy, "
                "is_blocked, is_approved, has_email_notifications, session_version, "
                "created_at) VALUES (:id, 1, 'Erna Müller', '33129', 51.77, 8.57, false, "
                "'de', 'resident', false, :blocked, true, true, 1, CURRENT_TIMESTAMP)"
            ),
            {"id": number, "blocked": is_blocked},
        )
    for number, author, title, description in (
        (1, 1, "Äpfel pflücken", "Bitte anrufen: 0176 1234567 oder erna@example.net"),
        (2, 2, "Rasen mähen", "Im GARTEN hinter dem Haus."),
    ):
        connection.execute(
            text(
                "INSERT INTO posting (id, municipality_id, author_id, direction, kind, "
                "category, title, description, postcode, latitude, longitude, timing, "
                "is_remote_ok, status, expires_at, created_at, updated_at) VALUES (:id, 1, "
                ":author, 'request', 'zeitspende', 'garden', :title, :description, '33129', "
                "51.77, 8.57, 'flexible', false, 'open', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"id": number, "author": author, "title": title, "description": description},
        )


def test_existing_postings_get_their_search_text_and_blocked_flag(app):
    _empty_database()
    upgrade(revision=BEFORE)
    try:
        with db.engine.begin() as connection:
            _insert_postings(connection)
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, search_text, is_author_blocked FROM posting ORDER BY id")
            ).all()
        (first, second) = rows
        # Case-folded, contacts cut out as the app masks them; the flag from her account.
        assert first.search_text.split() == ["äpfel", "pflücken", "bitte", "anrufen:", "oder"]
        assert not first.is_author_blocked
        assert second.search_text == "rasen mähen\nim garten hinter dem haus."
        assert second.is_author_blocked
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM posting")).scalar() == 2
    finally:
        downgrade(revision="base")
        _empty_database()
        db.create_all()
