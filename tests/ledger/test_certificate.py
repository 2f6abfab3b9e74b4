"""The Engagementnachweis: the helper's years and PDF, its code and the public check."""

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.ledger.certificate_queries import normalise_code
from exchange.ledger.models import Certificate, EngagementSettings
from exchange.ledger.thresholds import standings
from tests.admin.test_letters_pdf import read_pdf
from tests.conftest import login_as, make_user, post, text_of
from tests.ledger.certificate_helpers import confirmed_help, pdf_text, thanks_for

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


@pytest.fixture
def cast(delbrueck):
    delbrueck.state = "NW"
    delbrueck.postal_address = "Stadt Delbrück\nMarktstraße 6\n33129 Delbrück"
    delbrueck.signatory_name = "Werner Peitz"
    delbrueck.signatory_role = "Bürgermeister"
    petra = make_user(delbrueck, email="petra@example.org", name="Petra Helferin")
    erna = make_user(delbrueck, email="erna@example.org", name="Erna Empfängerin")
    first = confirmed_help(petra, erna, date(2026, 3, 4), 450, "zeitspende", "shopping")
    confirmed_help(petra, erna, date(2026, 5, 6), 300, "ehrenamt", "company")
    # Paid Taschengeld and last year's help: not in the 2026 proof.
    confirmed_help(petra, erna, date(2026, 6, 1), 120, "taschengeld", "garden")
    confirmed_help(petra, erna, date(2025, 9, 1), 60, "zeitspende", "garden")
    thanks_for(first, "Danke für die Einkäufe, Petra!", on_certificate=True)
    thanks_for(first, "Versteckter Dank", on_certificate=True, hidden=True)
    db.session.commit()
    return petra, erna


def test_the_index_shows_years_totals_and_the_pdf_buttons(client, cast):
    petra, _erna = cast
    login_as(client, petra)
    page = text_of(client.get("/me/engagement/nachweis?lang=en"))
    assert "Total: 12.5 hours" in page  # 450 + 300 minutes of Zeitspende and Ehrenamt
    assert "Total: 1 hour" in page  # 2025
    assert 'action="/me/engagement/nachweis/2026.pdf"' in page
    assert 'action="/me/engagement/nachweis/2025.pdf"' in page
    assert "Danke für die Einkäufe, Petra!" in page
    assert "Versteckter Dank" not in page


def test_the_pdf_states_kommune_helper_year_hours_code_and_url(client, cast):
    petra, _erna = cast
    login_as(client, petra)
    text = pdf_text(post(client, "/me/engagement/nachweis/2026.pdf?lang=en"))
    assert "Delbrück" in text and "Marktstraße 6" in text
    assert "Petra Helferin" in text
    assert "2026" in text
    assert "Total: 12.5 hours" in text
    assert "7.5 hours" in text and "5 hours" in text  # Zeitspende, Ehrenamt
    assert "Werner Peitz, Bürgermeister" in text
    certificate = db.session.scalar(select(Certificate))
    assert certificate.year == 2026 and certificate.total_minutes == 750
    assert certificate.holder_name == "Petra Helferin"
    assert CODE.fullmatch(certificate.code)
    assert certificate.code in text
    assert f"http://localhost/nachweis/{certificate.code}" in text
    # The person helped is nowhere: not in the PDF, not in what the code shows.
    assert "Erna" not in text and "Empfängerin" not in text
    assert "Erna" not in certificate.summary_json
    summary = json.loads(certificate.summary_json)
    assert {row["kind"] for row in summary["by_kind"]} == {"zeitspende", "ehrenamt"}
    assert [row["date"] for row in summary["days"]] == ["2026-03-04", "2026-05-06"]
    # Thanks she ticked appear; hidden ones never.
    assert "Danke für die Einkäufe, Petra!" in text
    assert "Versteckter Dank" not in text
    # NRW from 2026: the Ehrenamtskarte needs 200 h a year.
    assert "Ehrenamtskarte NRW" in text and "does not reach it" in text


def test_an_unchanged_year_keeps_its_code_and_new_hours_get_a_new_one(client, cast):
    petra, erna = cast
    login_as(client, petra)
    url = "/me/engagement/nachweis/2026.pdf"
    post(client, url)
    client.get(url)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    confirmed_help(petra, erna, date(2026, 7, 1), 60)
    db.session.commit()
    post(client, url)
    old, new = db.session.scalars(select(Certificate).order_by(Certificate.id))
    assert old.code != new.code and new.total_minutes == 810
    # The earlier proof stays valid as what it stated.
    assert "12.5 hours" in text_of(client.get(f"/nachweis/{old.code}?lang=en"))


def test_the_public_check_shows_holder_and_hours_to_a_guest(app, client, cast):
    petra, _erna = cast
    login_as(client, petra)
    post(client, "/me/engagement/nachweis/2026.pdf")
    certificate = db.session.scalar(select(Certificate))
    guest = app.test_client()
    response = guest.get(f"/nachweis/{certificate.code}?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert "This proof is valid." in page
    assert "Petra Helferin" in page and "Delbrück" in page and "2026" in page
    assert "12.5 hours" in page and "7.5 hours" in page
    assert "Erna" not in page and "petra@example.org" not in page
    # Typed with spaces or lower case, the form finds it.
    typed = certificate.code.lower().replace("-", " ")
    found = guest.get("/nachweis", query_string={"code": typed})
    assert found.status_code == 302 and found.headers["Location"].endswith(certificate.code)


def test_unknown_and_revoked_codes_say_so(client, cast):
    petra, _erna = cast
    response = client.get("/nachweis/ABCD-EFGH-JKLM-NPQR?lang=en")
    assert response.status_code == 404
    assert "No proof has this code." in text_of(response)
    assert client.get("/nachweis/nonsense?lang=en").status_code == 404
    login_as(client, petra)
    post(client, "/me/engagement/nachweis/2026.pdf")
    certificate = db.session.scalar(select(Certificate))
    certificate.is_revoked = True
    db.session.commit()
    page = text_of(client.get(f"/nachweis/{certificate.code}?lang=en"))
    assert "This proof has been revoked." in page
    assert "12.5 hours" not in page
    bad = client.get("/nachweis?code=xyz&lang=en")
    assert bad.status_code == 200 and "This is not a verification code." in text_of(bad)


def test_lookups_are_rate_limited(app, client, cast):
    app.config["CERTIFICATE_LOOKUP_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/nachweis/ABCD-EFGH-JKLM-NPQR").status_code for _i in range(4)]
    assert codes == [404, 404, 404, 429]


def test_another_user_cannot_download_someone_elses_proof(app, client, cast, paderborn):
    petra, erna = cast
    login_as(client, erna)  # she received help, gave none
    response = post(client, "/me/engagement/nachweis/2026.pdf?lang=en")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    page = text_of(client.get(response.headers["Location"] + "?lang=en"))
    assert "You have no confirmed hours in 2026." in page
    guest = app.test_client()
    response = guest.get("/me/engagement/nachweis/2026.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_year_without_hours_gets_a_clear_message(client, cast):
    petra, _erna = cast
    login_as(client, petra)
    response = client.get("/me/engagement/nachweis/2019.pdf?lang=en", follow_redirects=True)
    assert response.status_code == 200
    assert "You have no confirmed hours in 2019." in text_of(response)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_the_signatory_and_stamp_of_the_settings_are_printed(app, client, cast, tmp_path):
    petra, _erna = cast
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    from tests.admin.test_engagement_settings import PNG

    (tmp_path / "stamps").mkdir()
    name = f"{petra.municipality_id}-{'a' * 32}.png"
    (tmp_path / "stamps" / name).write_bytes(PNG)
    db.session.add(
        EngagementSettings(
            municipality_id=petra.municipality_id,
            signatory_name="Ida Ehrenamtsbüro",
            signatory_role="Leiterin",
            stamp_filename=name,
        )
    )
    db.session.commit()
    login_as(client, petra)
    response = post(client, "/me/engagement/nachweis/2026.pdf?lang=en")
    assert "Ida Ehrenamtsbüro, Leiterin" in pdf_text(response)
    assert b"/Subtype /Image" in response.data or b"/Subtype/Image" in response.data


def test_arabic_names_render(client, delbrueck):
    delbrueck.state = "BY"
    helper = make_user(delbrueck, email="h@example.org", name="ليلى حسن")
    other = make_user(delbrueck, email="o@example.org", name="Otto")
    confirmed_help(helper, other, date(2026, 2, 2), 90)
    db.session.commit()
    login_as(client, helper)
    response = post(client, "/me/engagement/nachweis/2026.pdf?lang=ar")
    text = pdf_text(response)
    # Shaped with the vendored Vazirmatn; the extraction gives the glyphs in visual order.
    assert "حسن" in text or "نسح" in text
    fonts = set().union(*(page.fonts for page in read_pdf(response)))
    assert any("Vazirmatn" in font for font in fonts), fonts


def test_codes_are_normalised_and_thresholds_depend_on_land_and_year():
    assert normalise_code("abcd efgh jklm npqr") == "ABCD-EFGH-JKLM-NPQR"
    assert normalise_code("ABCD-EFGH-JKLM-NPQ0") is None  # 0 is not in the alphabet
    assert normalise_code("") is None
    nrw_2026 = standings("NW", 2026, 200 * 60)
    assert [(s.threshold.hours, s.is_reached) for s in nrw_2026] == [(200, True)]
    assert [s.threshold.hours for s in standings("NW", 2025, 0)] == [250]
    assert [s.threshold.hours for s in standings("BY", 2026, 0)] == [250, 80, 60]
    assert standings("HH", 2026, 10_000) == []
    assert standings("", 2026, 10_000) == []


def test_erasing_the_account_revokes_her_proofs_and_removes_her_thanks(client, cast):
    from exchange.accounts.services import erase_account
    from exchange.admin.models import Report
    from exchange.ledger.models import Thanks

    petra, _erna = cast
    login_as(client, petra)
    post(client, "/me/engagement/nachweis/2026.pdf")
    certificate = db.session.scalar(select(Certificate))
    thanks = db.session.scalar(select(Thanks))
    db.session.add(Report(municipality_id=petra.municipality_id, thanks_id=thanks.id, reason="x"))
    db.session.commit()
    erase_account(petra)
    db.session.commit()
    db.session.expire_all()
    certificate = db.session.get(Certificate, certificate.id)
    assert certificate.is_revoked and certificate.user_id is None
    assert "Petra" not in certificate.holder_name
    assert db.session.scalar(select(func.count(Thanks.id))) == 0
    assert db.session.scalar(select(func.count(Report.id))) == 0
    page = text_of(client.get(f"/nachweis/{certificate.code}?lang=en"))
    assert "This proof has been revoked." in page and "Petra" not in page


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa"])
def test_the_pages_work_in_every_language(app, client, cast, lang):
    petra, erna = cast
    login_as(client, petra)
    assert client.get(f"/me/engagement/nachweis?lang={lang}").status_code == 200
    pdf_text(post(client, f"/me/engagement/nachweis/2026.pdf?lang={lang}"))
    certificate = db.session.scalar(select(Certificate))
    guest = app.test_client()
    assert guest.get(f"/nachweis/{certificate.code}?lang={lang}").status_code == 200
    assert guest.get(f"/nachweis?lang={lang}").status_code == 200


def test_the_pdf_fetcher_takes_inline_png_but_nothing_else_inline(app):
    import base64

    from exchange.core.pdf import url_fetcher
    from tests.admin.test_engagement_settings import PNG

    with app.test_request_context():
        fetcher = url_fetcher()
        response = fetcher.fetch("data:image/png;base64," + base64.b64encode(PNG).decode())
        assert response.read() == PNG and response.content_type == "image/png"
        for url in ("data:image/svg+xml;base64,PHN2Zy8+", "data:text/html,<b>x</b>"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)


def test_pdfs_are_rate_limited_per_person(app, client, cast):
    petra, _erna = cast
    app.config["CERTIFICATE_PDF_RATE_LIMIT"] = "2 per minute"
    login_as(client, petra)
    codes = [post(client, "/me/engagement/nachweis/2026.pdf").status_code for _i in range(3)]
    assert codes == [200, 200, 429]
