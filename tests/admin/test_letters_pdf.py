"""The letters to post as PDFs (DIN 5008 form B): read back, the address lies in the window.

Positions come from pdfminer's layout analysis (each text line's box from its glyphs), in
millimetres from the sheet's top-left corner.
"""

import io
import re

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextLine

from exchange.accounts.models import ActivationCode
from exchange.accounts.services import activation_code_hash
from exchange.admin.models import ProxyProfile
from exchange.core.pdf import inside, url_fetcher
from exchange.extensions import db
from tests.conftest import login_as, make_posting, make_proxy, make_user, post, text_of

BASE = "/k/delbrueck/admin"
MM = 25.4 / 72  # one PDF point in millimetres
A4 = (210, 297)
# DIN 5008 form B: the address field (x from, x to, y from, y to), in mm from the top-left.
ADDRESS_FIELD = (20, 105, 45, 90)
# Its lower part, below the 17.7 mm return-address and remarks zone: the recipient's address.
RECIPIENT_ZONE = (20, 105, 45 + 17.7, 90)
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


@pytest.fixture
def kommune(delbrueck):
    delbrueck.postal_address = "Stadt Delbrück – Bürgerbüro\nMarktstraße 6\n33129 Delbrück"
    delbrueck.phone = "05250 996-0"
    delbrueck.office_hours = "Mo–Fr 8:30–12:30 Uhr\nDo 14:00–17:30 Uhr"
    delbrueck.contact_email = "nachbarschaft@delbrueck.example"
    db.session.commit()
    return delbrueck


@pytest.fixture
def admin(kommune):
    user = make_user(kommune, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


@pytest.fixture
def gertrud(kommune):
    """Like the demo's Gertrud: registered by the town hall, reached by letter."""
    user = make_proxy(kommune, name="Gertrud Schäfer", phone="05250 4711")
    db.session.get(ProxyProfile, user.id).postal_address = "Hagener Straße 12\n33129 Delbrück"
    make_posting(user, title="Begleitung zum Arzt", category="company")
    db.session.commit()
    return user


class Page:
    """One page of a PDF: its size and its text lines with their boxes, in mm from top-left."""

    def __init__(self, layout):
        self.width = layout.width * MM
        self.height = layout.height * MM
        self.lines = []
        self.fonts = set()
        self._collect(layout, layout.height)

    def _collect(self, item, page_height):
        if isinstance(item, LTTextLine):
            x0, y0, x1, y1 = item.bbox
            box = (x0 * MM, x1 * MM, (page_height - y1) * MM, (page_height - y0) * MM)
            self.lines.append((item.get_text().strip(), box))
        if isinstance(item, LTChar):
            self.fonts.add(item.fontname)
        for child in getattr(item, "_objs", ()):
            self._collect(child, page_height)

    @property
    def text(self) -> str:
        return " ".join(text for text, _box in self.lines)

    def box_of(self, text: str):
        """The box of the one line that reads text, or failing that, contains it."""
        found = [box for line, box in self.lines if line == text] or [
            box for line, box in self.lines if text in line
        ]
        assert len(found) == 1, (text, self.lines)
        return found[0]


def read_pdf(response) -> list[Page]:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return [Page(layout) for layout in extract_pages(io.BytesIO(response.data))]


def within(box, area) -> bool:
    x0, x1, top, bottom = box
    left, right, upper, lower = area
    return left <= x0 and x1 <= right and upper <= top and bottom <= lower


def assert_din_5008_first_page(page: Page, name: str, street: str):
    assert (round(page.width), round(page.height)) == A4
    for text in (name, street, "33129 Delbrück"):
        assert within(page.box_of(text), RECIPIENT_ZONE), (text, page.box_of(text))
    # Written from 25 mm: the field's 5 mm inner margin.
    assert page.box_of(name)[0] == pytest.approx(25, abs=0.6)
    # The return address in the remarks zone above it, the only other text in the window.
    sender = "Stadt Delbrück – Bürgerbüro · Marktstraße 6 · 33129 Delbrück"
    boxes = [box for text, box in page.lines if text == sender]
    assert len(boxes) == 2  # in the letterhead too
    assert any(within(box, (20, 105, 45, 45 + 17.7)) for box in boxes), boxes
    in_window = [text for text, box in page.lines if _overlaps(box, ADDRESS_FIELD)]
    assert sorted(in_window) == sorted([sender, name, street, "33129 Delbrück"])
    # The letterhead: the Kommune's name, address, phone, office hours, the date in German.
    assert page.box_of("Delbrück")[2] < 45  # the name alone on its line, above the field
    for fact in ("05250 996-0", "Sprechzeiten", "Do 14:00–17:30 Uhr", "Datum"):
        assert fact in page.text
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", page.text)
    # The vendored Fira Sans, embedded (no system or network font).
    assert page.fonts and all("Fira-Sans" in font for font in page.fonts), page.fonts


def _overlaps(box, area) -> bool:
    x0, x1, top, bottom = box
    left, right, upper, lower = area
    return x0 < right and left < x1 and top < lower and upper < bottom


def test_activation_letter_pdf_is_one_a4_page_with_the_address_in_the_window(
    client, admin, gertrud
):
    login_as(client, admin)
    pages = read_pdf(post(client, f"{BASE}/proxies/{gertrud.id}/activation.pdf"))
    assert len(pages) == 1
    page = pages[0]
    assert_din_5008_first_page(page, "Gertrud Schäfer", "Hagener Straße 12")
    assert "Ihr eigener Zugang zur Nachbarschaftsbörse" in page.text
    # The code is there on one line (letter-spaced: the extraction puts spaces between the
    # letters, which the activation form ignores), large, and it is the one that works.
    (code_line,) = [(text, box) for text, box in page.lines if CODE.search(text.replace(" ", ""))]
    code = CODE.search(code_line[0].replace(" ", "")).group(0)
    height = code_line[1][3] - code_line[1][2]
    assert height > 6  # mm: 20 pt type, against about 4 mm for the 12 pt text
    row = db.session.query(ActivationCode).filter_by(user_id=gertrud.id).one()
    assert row.code_hash == activation_code_hash(code.replace("-", ""))


def test_in_a_right_to_left_language_the_address_stays_left_to_right(client, admin, gertrud):
    login_as(client, admin)
    (page,) = read_pdf(post(client, f"{BASE}/proxies/{gertrud.id}/activation.pdf?lang=ar"))
    for text in ("Gertrud Schäfer", "Hagener Straße 12", "33129 Delbrück"):
        box = page.box_of(text)
        assert within(box, RECIPIENT_ZONE) and box[0] == pytest.approx(25, abs=0.6), text
    assert "05250 996-0" in page.text
    # The code in its order, whatever the text around it.
    code = CODE.search(page.text.replace(" ", "")).group(0)
    row = db.session.query(ActivationCode).filter_by(user_id=gertrud.id).one()
    assert row.code_hash == activation_code_hash(code.replace("-", ""))
    assert any("Vazirmatn" in font for font in page.fonts)


def test_a_new_pdf_letter_replaces_the_earlier_code(client, admin, gertrud):
    login_as(client, admin)
    url = f"{BASE}/proxies/{gertrud.id}/activation.pdf"
    first, second = (read_pdf(post(client, url))[0].text.replace(" ", "") for _i in range(2))
    assert CODE.search(first).group(0) != CODE.search(second).group(0)
    db.session.expire_all()
    old, new = db.session.query(ActivationCode).filter_by(user_id=gertrud.id).order_by("id")
    assert old.expires_at <= new.created_at < new.expires_at


def test_sheet_pdf_has_the_address_in_the_window_and_the_postings(client, admin, gertrud):
    login_as(client, admin)
    pages = read_pdf(client.get(f"{BASE}/proxies/{gertrud.id}/sheet.pdf"))
    first = pages[0]
    assert_din_5008_first_page(first, "Gertrud Schäfer", "Hagener Straße 12")
    text = " ".join(page.text for page in pages)
    assert "Vermittlungsblatt für Gertrud Schäfer" in text
    assert "Begleitung zum Arzt" in text
    for page in pages[1:]:
        assert (round(page.width), round(page.height)) == A4


def test_the_html_pages_still_work_and_offer_the_pdf(client, admin, gertrud):
    login_as(client, admin)
    detail = text_of(client.get(f"{BASE}/proxies/{gertrud.id}"))
    assert f"/proxies/{gertrud.id}/sheet.pdf" in detail
    sheet = client.get(f"{BASE}/proxies/{gertrud.id}/sheet")
    assert sheet.status_code == 200
    assert "Vermittlungsblatt für Gertrud Schäfer" in text_of(sheet)
    assert "Begleitung zum Arzt" in text_of(sheet)
    assert f"/proxies/{gertrud.id}/sheet.pdf" in text_of(sheet)
    explained = text_of(client.get(f"{BASE}/proxies/{gertrud.id}/activation"))
    assert f'formaction="/k/delbrueck/admin/proxies/{gertrud.id}/activation.pdf"' in explained
    letter = post(client, f"{BASE}/proxies/{gertrud.id}/activation")
    assert letter.status_code == 200 and letter.mimetype == "text/html"
    assert CODE.search(text_of(letter))


def test_another_kommunes_admin_gets_404_and_a_guest_is_sent_to_sign_in(client, gertrud, paderborn):
    urls = [
        ("get", f"{BASE}/proxies/{gertrud.id}/sheet.pdf"),
        ("post", f"{BASE}/proxies/{gertrud.id}/activation.pdf"),
    ]
    for method, url in urls:
        response = client.get(url) if method == "get" else post(client, url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    outsider = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, outsider)
    for method, url in urls:
        # Paderborn's admin in Delbrück's admin area: forbidden, as on every admin URL.
        response = client.get(url) if method == "get" else post(client, url)
        assert response.status_code == 403, url
        own = url.replace("/k/delbrueck/", "/k/paderborn/")
        response = client.get(own) if method == "get" else post(client, own)
        assert response.status_code == 404, own  # Delbrück's proxy is not Paderborn's
    assert db.session.query(ActivationCode).count() == 0


def test_the_pdf_fetcher_loads_static_files_only(app):
    with app.test_request_context():
        fetcher = url_fetcher()
        root = fetcher.root
        font = (root / "vendor/kern/fonts/FiraSans-Regular-latin.woff2").as_uri()
        response = fetcher.fetch(font)
        # Unpacked from WOFF2 to TrueType (once per process), ready for fontconfig.
        assert response.read()[:4] in (b"\x00\x01\x00\x00", b"OTTO")
        response.close()
        for url in (
            "https://example.org/font.woff2",
            "http://127.0.0.1:5000/static/css/app.css",
            "ftp://example.org/x",
            "data:text/css,body{}",
            "file:///etc/passwd",
            (root / ".." / "__init__.py").as_uri(),
        ):
            assert not inside(root, url), url
            with pytest.raises(ValueError):
                fetcher.fetch(url)
