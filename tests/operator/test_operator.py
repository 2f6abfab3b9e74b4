"""The operator creates and edits Kommunen and appoints or removes their admins."""

from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from tests.conftest import login_as, make_user, post, text_of

FORM = {
    "name": "Bad Lippspringe",
    "slug": "bad-lippspringe",
    "postcodes": "33175",
    "districts": "Mitte; 33175\nArminiuspark; 33175; 51.7800; 8.8200",
    "enabled_kinds": ["zeitspende", "ehrenamt"],
    "theme_color": "#2E7D32",
    "requires_approval": "y",
    "contact_text": "Rathaus, Zimmer 4",
    "imprint_text": "Stadt Bad Lippspringe",
    "privacy_text": "",
    "accessibility_text": "",
}

DELBRUECK = {"name": "Delbrück", "slug": "delbrueck", "postcodes": "33129"}


def _operator(delbrueck):
    user = make_user(delbrueck, email="op@example.org", name="Olga Betrieb", role="superadmin")
    db.session.commit()
    return user


def test_operator_creates_a_kommune_with_districts(client, delbrueck):
    login_as(client, _operator(delbrueck))
    response = post(client, "/admin/municipalities/new", FORM)
    assert response.status_code == 302
    created = db.session.scalar(select(Municipality).where(Municipality.slug == "bad-lippspringe"))
    assert created.enabled_kinds == ["zeitspende", "ehrenamt"]
    assert created.requires_approval and created.theme_color == "#2e7d32"
    names = {d.name: (d.latitude, d.longitude) for d in created.districts}
    assert names["Arminiuspark"] == (51.78, 8.82)
    assert 51 < names["Mitte"][0] < 52  # the PLZ centroid
    board = client.get("/k/bad-lippspringe/")
    assert board.status_code == 200 and "Bad Lippspringe" in text_of(board)
    assert "Bad Lippspringe" in text_of(client.get("/admin/"))


def test_bad_kommune_input_is_refused_and_changes_nothing(client, delbrueck):
    login_as(client, _operator(delbrueck))
    cases = [
        ({"slug": "Bad Lippspringe!"}, "Kleinbuchstaben"),
        ({"slug": "delbrueck"}, "nutzt diesen Kurznamen bereits"),
        ({"postcodes": "00000"}, "kennen wir nicht"),
        ({"districts": "Mitte; 33129"}, "nicht in der Liste oben"),
        ({"districts": "Mitte; 33175; 10.0; 10.0"}, "nicht in Deutschland"),
        ({"districts": "Mitte\n"}, "Zeile 1"),
        ({"theme_color": "grün"}, "#0b5ea8"),
        ({"enabled_kinds": []}, "mindestens eine Börse"),
    ]
    for change, message in cases:
        response = post(client, "/admin/municipalities/new", FORM | change)
        assert response.status_code == 200, change
        assert message in text_of(response), change
    assert (
        db.session.scalar(select(Municipality).where(Municipality.name == "Bad Lippspringe"))
        is None
    )


def test_operator_edits_a_kommune_but_keeps_districts_in_use(client, delbrueck):
    login_as(client, _operator(delbrueck))
    page = text_of(client.get(f"/admin/municipalities/{delbrueck.id}/edit"))
    assert "Westenholz; 33129" in page
    resident = make_user(delbrueck, email="w@example.org", district_id=delbrueck.districts[1].id)
    db.session.commit()
    used = delbrueck.districts[1].name
    remaining = "\n".join(f"{d.name}; 33129" for d in delbrueck.districts if d.name != used)
    response = post(
        client,
        f"/admin/municipalities/{delbrueck.id}/edit",
        FORM
        | {"name": "Delbrück", "slug": "delbrueck", "postcodes": "33129", "districts": remaining},
    )
    assert response.status_code == 200 and "noch von Konten" in text_of(response)
    keep_all = "\n".join(f"{d.name}; 33129" for d in delbrueck.districts) + "\nBoke; 33129"
    response = post(
        client,
        f"/admin/municipalities/{delbrueck.id}/edit",
        FORM
        | {"name": "Delbrück", "slug": "delbrueck", "postcodes": "33129", "districts": keep_all},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert "Boke" in {d.name for d in db.session.get(Municipality, delbrueck.id).districts}
    assert db.session.get(User, resident.id).district_id is not None


def test_operator_appoints_and_removes_an_admin(client, delbrueck, paderborn):
    resident = make_user(delbrueck, email="klara@example.org", name="Klara Klug")
    make_user(paderborn, email="pb@example.org", postcode="33098")
    login_as(client, _operator(delbrueck))
    url = f"/admin/municipalities/{delbrueck.id}/admins"
    wrong_place = post(client, url, {"email": "pb@example.org"})
    assert "gehört kein Konto" in text_of(wrong_place)
    assert post(client, url, {"email": "KLARA@example.org"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).role == "admin"
    assert "Klara Klug" in text_of(client.get(url))

    # Klara uses the admin area in another browser; removal ends that session.
    other = client.application.test_client()
    login_as(other, db.session.get(User, resident.id))
    assert other.get("/k/delbrueck/admin/").status_code == 200
    remove = f"{url}/{resident.id}/remove"
    assert "Sitzungen werden beendet" in text_of(client.get(remove))
    assert post(client, remove).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, resident.id).role == "resident"
    assert other.get("/k/delbrueck/admin/").status_code == 302
