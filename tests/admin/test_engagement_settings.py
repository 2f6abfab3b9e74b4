"""The Engagementnachweis settings of a Kommune: signatory, stamp, retention periods."""

import io
import struct
import zlib

import pytest
from sqlalchemy import select

from exchange.admin.models import AuditEntry
from exchange.extensions import db
from exchange.ledger.models import EngagementSettings
from tests.conftest import login_as, make_user, post, text_of

URL = "/k/delbrueck/admin/engagement"


def _png(width=2, height=2) -> bytes:
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00\xff" * width for _y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG = _png()


@pytest.fixture
def admin(app, delbrueck, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def _settings(municipality):
    db.session.expire_all()
    return db.session.get(EngagementSettings, municipality.id)


def test_admin_saves_signatory_and_retention_with_an_audit_entry(client, admin, delbrueck):
    login_as(client, admin)
    page = client.get(URL + "?lang=en")
    assert page.status_code == 200 and "Proofs of engagement" in text_of(page)
    response = post(
        client,
        URL,
        {
            "signatory_name": "Ida Amt",
            "signatory_role": "Ehrenamtsbüro",
            "ledger_retention_years": "12",
            "consent_retention_years": "4",
        },
    )
    assert response.status_code == 302
    row = _settings(delbrueck)
    assert (row.signatory_name, row.signatory_role) == ("Ida Amt", "Ehrenamtsbüro")
    assert (row.ledger_retention_years, row.consent_retention_years) == (12, 4)
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "admin_engagement.settings" and entry.admin_id == admin.id
    # The admin menu links the page.
    assert 'href="/k/delbrueck/admin/engagement"' in text_of(client.get("/k/delbrueck/admin/"))


@pytest.mark.parametrize(
    ("ledger", "consent"), [("0", "3"), ("31", "3"), ("10", "0"), ("10", "11"), ("x", "3")]
)
def test_values_out_of_range_are_refused_and_nothing_changes(
    client, admin, delbrueck, ledger, consent
):
    login_as(client, admin)
    data = {
        "signatory_name": "Neu",
        "ledger_retention_years": ledger,
        "consent_retention_years": consent,
    }
    response = post(client, URL + "?lang=en", data)
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "between 1 and" in page
    assert _settings(delbrueck) is None
    assert db.session.scalar(select(AuditEntry)) is None


def test_a_png_stamp_is_accepted_and_removed(client, admin, delbrueck, tmp_path):
    login_as(client, admin)
    response = post(
        client,
        URL + "/stamp",
        {"stamp": (io.BytesIO(PNG), "stempel.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    name = _settings(delbrueck).stamp_filename
    stored = tmp_path / "stamps" / name
    assert stored.read_bytes() == PNG
    preview = client.get(URL + "/stamp.png")
    assert preview.status_code == 200 and preview.data == PNG
    assert post(client, URL + "/stamp/remove").status_code == 302
    assert _settings(delbrueck).stamp_filename == ""
    assert not stored.exists()
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["admin_engagement.stamp", "admin_engagement.remove_stamp"]


def test_a_non_png_or_too_large_stamp_is_refused(app, client, admin, delbrueck, tmp_path):
    login_as(client, admin)
    for payload, message in (
        (b"GIF89a....", "The file is not a PNG image."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "The file is not a PNG image."),
    ):
        response = post(
            client,
            URL + "/stamp?lang=en",
            {"stamp": (io.BytesIO(payload), "stempel.png")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200
        assert message in text_of(response)
    app.config["STAMP_MAX_BYTES"] = 100
    response = post(
        client,
        URL + "/stamp?lang=en",
        {"stamp": (io.BytesIO(PNG + b"\x00" * 200), "big.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "The image is too large." in text_of(response)
    assert _settings(delbrueck) is None
    assert not (tmp_path / "stamps").exists() or not any((tmp_path / "stamps").iterdir())


def test_tenant_isolation(app, client, admin, delbrueck, paderborn):
    outsider = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    resident = make_user(delbrueck, email="r@example.org", name="Rita")
    db.session.commit()
    login_as(client, outsider)
    assert client.get(URL).status_code == 403
    assert (
        post(
            client, URL, {"ledger_retention_years": "5", "consent_retention_years": "5"}
        ).status_code
        == 403
    )
    assert post(client, URL + "/stamp/remove").status_code == 403
    # Her own Kommune's page saves her own Kommune only.
    own = "/k/paderborn/admin/engagement"
    assert (
        post(
            client, own, {"ledger_retention_years": "5", "consent_retention_years": "5"}
        ).status_code
        == 302
    )
    assert _settings(delbrueck) is None and _settings(paderborn).ledger_retention_years == 5
    other = app.test_client()
    login_as(other, resident)
    assert other.get(URL).status_code == 403
