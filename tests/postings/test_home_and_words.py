"""A Kommune's board that explains itself, the town hall in every footer, and words people
understand on a posting's page (issue 10, A2 and A5)."""

import re
from datetime import timedelta

import pytest

from exchange.extensions import db
from exchange.messaging.models import Conversation
from exchange.postings.models import Posting
from exchange.timeutil import utcnow
from tests.conftest import (
    login_as,
    make_municipality,
    make_posting,
    make_proxy,
    make_user,
    post,
    text_of,
)

PHONE = "05250 996-0"
TEL = 'href="tel:+4952509960"'
HOURS = "Mo–Fr 8:30–12:30 Uhr\nDo 14:00–17:30 Uhr"


@pytest.fixture
def town_hall(delbrueck):
    """Delbrück with its phone number and office hours."""
    delbrueck.phone = PHONE
    delbrueck.office_hours = HOURS
    db.session.commit()
    return delbrueck


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def test_every_footer_shows_the_town_halls_phone_and_office_hours(client, town_hall):
    erna = make_user(town_hall)
    posting = make_posting(erna)
    db.session.commit()
    for path in ("/k/delbrueck/", f"/k/delbrueck/postings/{posting.id}", "/k/delbrueck/imprint"):
        footer = _footer(client.get(path).get_data(as_text=True))
        assert TEL in footer and PHONE in footer, path
        assert "Mo–Fr 8:30–12:30 Uhr" in footer and "Sprechzeiten" in footer, path
        # Above the footer's links.
        assert footer.index(TEL) < footer.index('<nav aria-label="Rechtliches und Hilfe"')
    login_as(client, erna)
    # Her own pages have no Kommune in the address: her home Kommune's town hall.
    footer = _footer(client.get("/me/messages/").get_data(as_text=True))
    assert TEL in footer and "Do 14:00–17:30 Uhr" in footer


def test_the_guest_footer_follows_a_changed_phone_number(client, town_hall):
    assert TEL in _footer(client.get("/k/delbrueck/imprint").get_data(as_text=True))
    town_hall.phone = "05250 12345"
    db.session.commit()
    footer = _footer(client.get("/k/delbrueck/imprint").get_data(as_text=True))
    assert 'href="tel:+49525012345"' in footer and TEL not in footer


def test_a_kommune_without_contact_facts_has_no_empty_contact_block(client, delbrueck):
    assert "footer-contact" not in client.get("/k/delbrueck/").get_data(as_text=True)


def _intro(html: str) -> str | None:
    found = re.search(r'<section class="intro" id="intro".*?</section>', html, re.S)
    return found.group(0) if found else None


def test_the_board_explains_itself_to_guests(client, town_hall):
    html = client.get("/k/delbrueck/").get_data(as_text=True)
    intro = _intro(html)
    assert intro is not None
    # Results first (on a phone too, A4): a link above them leads to the introduction below.
    jump = html.index('href="#intro">So funktioniert die Börse')
    assert jump < html.index('id="results-heading"') < html.index('id="intro"')
    steps = re.search(r'<ol class="intro-steps[^"]*">(.*?)</ol>', intro, re.S).group(1)
    assert steps.count("<li>") == 3
    # Each Börse of the Kommune with its own link.
    for kind in town_hall.enabled_kinds:
        assert f'href="/k/delbrueck/?kind={kind}"' in intro
    # The town hall's phone as a tel: link and its office hours.
    assert TEL in intro and "Do 14:00–17:30 Uhr" in intro
    # The German page says what the Börse is in the Kommune's name.
    assert "Delbrück" in intro


def test_the_introduction_is_part_of_the_cached_guest_page(client, town_hall):
    first = client.get("/k/delbrueck/").get_data(as_text=True)
    again = client.get("/k/delbrueck/").get_data(as_text=True)
    assert _intro(first) == _intro(again) is not None
    town_hall.phone = "05250 12345"
    db.session.commit()
    assert 'href="tel:+49525012345"' in _intro(client.get("/k/delbrueck/").get_data(as_text=True))


@pytest.mark.parametrize("query", ["?q=Garten", "?kind=tausch", "?page=2", "?sort=newest"])
def test_a_search_shows_results_without_the_introduction(client, town_hall, query):
    assert _intro(client.get("/k/delbrueck/" + query).get_data(as_text=True)) is None


def test_the_introduction_stays_in_another_language(client, town_hall):
    assert _intro(client.get("/k/delbrueck/?lang=en").get_data(as_text=True)) is not None


def test_signed_in_residents_go_straight_to_the_postings(client, town_hall):
    erna = make_user(town_hall)
    db.session.commit()
    login_as(client, erna)
    assert _intro(client.get("/k/delbrueck/").get_data(as_text=True)) is None


def test_the_chooser_says_what_the_exchange_is(client, delbrueck):
    make_municipality("paderborn", "Paderborn", "33098")
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    steps = re.search(r'<ol class="intro-steps[^"]*">(.*?)</ol>', html, re.S).group(1)
    assert steps.count("<li>") == 3
    assert 'href="/k/delbrueck/"' in html and 'href="/k/paderborn/"' in html


# --- A5: words people understand ----------------------------------------------------------


def test_the_author_sees_one_pair_of_end_actions_each_explained(client, delbrueck):
    erna = make_user(delbrueck)
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    html = client.get(f"/k/delbrueck/postings/{posting.id}").get_data(as_text=True)
    # "Help found" leads to the form that asks what happened (issue 11 B.1); "Withdraw" posts.
    done = re.search(
        rf'<a href="/k/delbrueck/postings/{posting.id}/outcome"[^>]*>', html, re.S
    ).group(0)
    form = re.search(
        rf'<form method="post" action="/k/delbrueck/postings/{posting.id}/close".*?</form>',
        html,
        re.S,
    ).group(0)
    for button, element in (("end-done", done), ("end-withdraw", form)):
        assert f'id="{button}" aria-describedby="{button}-hint"' in element
        hint = re.search(rf'<p class="kern-body" id="{button}-hint">(.*?)</p>', html, re.S)
        assert hint and hint.group(1).strip()
    # The old, unexplained pair is gone.
    assert "Als erledigt markieren" not in html and "Eintrag schließen" not in html
    # Nobody answered: the outcome form closes it as "did not come about".
    done = post(client, f"/k/delbrueck/postings/{posting.id}/outcome", {"outcome": "not_happened"})
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "done"
    # The message says what happened: the posting left the board.
    told = text_of(client.get(done.headers["Location"]))
    assert "Der Eintrag steht nicht mehr in der Übersicht" in told


def test_an_offer_ends_with_help_given_not_help_found(client, delbrueck):
    erna = make_user(delbrueck)
    offer = make_posting(erna, direction="offer")
    request = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    offer_page = client.get(f"/k/delbrueck/postings/{offer.id}").get_data(as_text=True)
    request_page = client.get(f"/k/delbrueck/postings/{request.id}").get_data(as_text=True)
    done = re.compile(r'id="end-done"[^>]*><span class="kern-label">([^<]+)<')
    assert done.search(offer_page).group(1) != done.search(request_page).group(1)


def test_closed_postings_do_not_say_visible_until(client, delbrueck):
    erna = make_user(delbrueck)
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    url = f"/k/delbrueck/postings/{posting.id}"
    assert "Sichtbar in der Übersicht bis" in text_of(client.get(url))
    post(client, f"{url}/close")
    page = text_of(client.get(url))
    assert "Sichtbar in der Übersicht bis" not in page
    assert 'id="end-done"' not in page
    posting.status = "open"
    posting.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert "Sichtbar in der Übersicht bis" not in text_of(client.get(url))


def test_hours_are_written_in_the_readers_locale(client, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    erna = make_user(delbrueck)
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    created = utcnow() - timedelta(hours=5)
    posting = make_posting(erna, created_at=created)
    db.session.add(
        Conversation(
            municipality_id=delbrueck.id,
            posting_id=posting.id,
            posting_title=posting.title,
            author_id=erna.id,
            responder_id=jonas.id,
            created_at=created + timedelta(minutes=30),
            last_message_at=created + timedelta(minutes=30),
        )
    )
    db.session.commit()
    login_as(client, admin)
    assert "0,5 Stunden" in text_of(client.get("/k/delbrueck/admin/"))
    assert "0.5 hours" in text_of(client.get("/k/delbrueck/admin/?lang=en"))


def test_no_email_promise_to_someone_acting_for_a_proxy(client, delbrueck):
    admin = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    gertrud = make_proxy(delbrueck, name="Gertrud Meier")
    posting = make_posting(gertrud)
    db.session.commit()
    login_as(client, admin)
    post(client, f"/k/delbrueck/admin/proxies/{gertrud.id}/act")
    page = text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))
    assert "Gertrud Meier" in page
    assert "per E-Mail" not in page and "by e-mail" not in page


def test_a_resident_with_mails_on_is_still_promised_an_email(client, delbrueck):
    erna = make_user(delbrueck)
    posting = make_posting(erna)
    db.session.commit()
    login_as(client, erna)
    assert "per E-Mail" in text_of(client.get(f"/k/delbrueck/postings/{posting.id}"))


def test_no_double_full_stop_after_an_initial(client, delbrueck):
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Hoffmann")
    jonas = make_user(delbrueck, email="jonas@example.org", name="Jonas Becker")
    posting = make_posting(petra)
    db.session.commit()
    login_as(client, jonas)
    page = text_of(client.get(f"/k/delbrueck/postings/{posting.id}/respond"))
    assert "Petra H." in page
    assert "H.." not in page
