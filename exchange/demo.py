"""Demo data for `flask exchange seed-demo`: Delbrück with Ortsteile, Paderborn, ~40 postings.

The Ortsteil centroids below are approximate (read off a map to about 1 km); good enough for
demo distances, not for anything official.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from .accounts.models import ROLE_ADMIN, User
from .accounts.passwords import hash_password
from .admin.models import ProxyProfile
from .extensions import db
from .geo import postcode_point
from .municipalities.models import District, Municipality
from .postings.models import Posting
from .timeutil import utcnow

DELBRUECK_DISTRICTS = [
    ("Delbrück-Mitte", 51.7667, 8.5667),
    ("Anreppen", 51.7370, 8.5210),
    ("Bentfeld", 51.7190, 8.5830),
    ("Boke", 51.7050, 8.5420),
    ("Hagen", 51.7560, 8.6120),
    ("Lippling", 51.7890, 8.5340),
    ("Ostenland", 51.7930, 8.6420),
    ("Schöning", 51.7600, 8.5200),
    ("Steinhorst", 51.8030, 8.5610),
    ("Sudhagen", 51.7450, 8.5880),
    ("Westenholz", 51.7330, 8.4670),
]
PADERBORN_POSTCODES = ["33098", "33100", "33102", "33104", "33106"]

DEMO_TEXT = "Demo-Text: Dies ist eine Beispiel-Installation, keine echte Kommune-Seite."

# (key, display name, e-mail, password, Kommune slug, Ortsteil or PLZ, age, role, phone)
ACCOUNTS = [
    (
        "erna",
        "Erna Schäfer",
        "erna@example.org",
        "Erna-Demo-2026!",
        "delbrueck",
        "Westenholz",
        79,
        "resident",
        "05250 123456",
    ),
    (
        "jonas",
        "Jonas Becker",
        "jonas@example.org",
        "Jonas-Demo-2026!",
        "delbrueck",
        "Hagen",
        15,
        "resident",
        None,
    ),
    (
        "petra",
        "Petra Hoffmann",
        "petra@example.org",
        "Petra-Demo-2026!",
        "delbrueck",
        "Delbrück-Mitte",
        46,
        "resident",
        "0171 5550101",
    ),
    (
        "admin",
        "Martina Kröger",
        "admin@delbrueck.example",
        "Admin-Demo-2026!",
        "delbrueck",
        "Delbrück-Mitte",
        52,
        ROLE_ADMIN,
        None,
    ),
    (
        "heinz",
        "Heinz Brinkmann",
        "heinz@example.org",
        "Heinz-Demo-2026!",
        "delbrueck",
        "Boke",
        71,
        "resident",
        None,
    ),
    (
        "lea",
        "Lea Wiesner",
        "lea@example.org",
        "Lea-Demo-2026!",
        "delbrueck",
        "Ostenland",
        17,
        "resident",
        None,
    ),
    (
        "karl",
        "Karl Voss",
        "karl@example.org",
        "Karl-Demo-2026!",
        "delbrueck",
        "Steinhorst",
        63,
        "resident",
        None,
    ),
    (
        "aylin",
        "Aylin Demir",
        "aylin@example.org",
        "Aylin-Demo-2026!",
        "delbrueck",
        "Sudhagen",
        34,
        "resident",
        None,
    ),
    (
        "gisela",
        "Gisela Nolte",
        "gisela@example.org",
        "Gisela-Demo-2026!",
        "paderborn",
        "33098",
        82,
        "resident",
        None,
    ),
    (
        "tim",
        "Tim Lohmann",
        "tim@example.org",
        "Tim-Demo-2026!",
        "paderborn",
        "33102",
        16,
        "resident",
        None,
    ),
]

# (author key, direction, kind, category, title, description, days ago, extra)
POSTINGS = [
    (
        "erna",
        "request",
        "zeitspende",
        "shopping",
        "Begleitung zum Wocheneinkauf",
        "Ich gehe nicht mehr gern allein zum Supermarkt. Wer begleitet mich dienstags vormittags und trägt die Tasche?",
        2,
        {"timing": "recurring", "recurrence": "dienstags vormittags"},
    ),
    (
        "erna",
        "request",
        "taschengeld",
        "garden",
        "Rasen mähen und Laub harken",
        "Mein Garten ist klein, aber der Rasen wächst. Rasenmäher ist vorhanden (Elektro, leicht).",
        5,
        {"pay_per_hour_cents": 1000},
    ),
    (
        "erna",
        "request",
        "zeitspende",
        "technology",
        "Hilfe mit dem neuen Handy",
        "Meine Enkelin hat mir ein Smartphone geschenkt. Wer zeigt mir in Ruhe, wie ich Fotos verschicke?",
        9,
        {"is_remote_ok": True},
    ),
    (
        "jonas",
        "offer",
        "taschengeld",
        "garden",
        "Ich mähe Rasen und harke Laub",
        "Ich bin 15, zuverlässig und habe Zeit nach der Schule und samstags. Nur leichte Gartenarbeit.",
        3,
        {"radius_km": 5, "pay_per_hour_cents": 900},
    ),
    (
        "jonas",
        "offer",
        "taschengeld",
        "pets",
        "Gassi gehen mit Ihrem Hund",
        "Ich liebe Hunde und gehe nachmittags gern mit Ihrem (freundlichen) Hund spazieren.",
        12,
        {"radius_km": 3, "pay_per_hour_cents": 800},
    ),
    (
        "jonas",
        "offer",
        "taschengeld",
        "technology",
        "Handy und Tablet erklärt",
        "Ich erkläre geduldig WhatsApp, Fotos und Videotelefonie. Auch am Telefon möglich.",
        20,
        {"radius_km": 5, "pay_per_hour_cents": 800, "is_remote_ok": True},
    ),
    (
        "petra",
        "offer",
        "zeitspende",
        "transport",
        "Fahrten zum Arzt nach Paderborn",
        "Ich fahre ohnehin oft nach Paderborn und nehme Sie gern zu Arztterminen mit.",
        4,
        {"radius_km": 15},
    ),
    (
        "petra",
        "offer",
        "zeitspende",
        "paperwork",
        "Hilfe bei Anträgen und Formularen",
        "Als ehemalige Verwaltungsangestellte helfe ich bei Anträgen, Briefen von Ämtern und Krankenkasse.",
        15,
        {"radius_km": 10, "is_remote_ok": True},
    ),
    (
        "petra",
        "request",
        "tausch",
        "household",
        "Suche Einkochtopf, biete Marmelade",
        "Ich würde gern einen großen Einkochtopf leihen oder tauschen – gegen selbstgemachte Marmelade.",
        7,
        {},
    ),
    (
        "heinz",
        "request",
        "zeitspende",
        "company",
        "Wer spielt mit mir Skat?",
        "Seit meine Frau gestorben ist, fehlt mir die Gesellschaft. Suche Leute für eine Skatrunde am Nachmittag.",
        1,
        {"timing": "recurring", "recurrence": "donnerstags ab 15 Uhr"},
    ),
    (
        "heinz",
        "offer",
        "tausch",
        "repairs",
        "Repariere Fahrräder gegen Kuchen",
        "Ich bin gelernter Schlosser und mache Ihr Fahrrad wieder fit. Bezahlung in Kuchen willkommen.",
        10,
        {"radius_km": 8},
    ),
    (
        "heinz",
        "request",
        "taschengeld",
        "household",
        "Fenster putzen im Erdgeschoss",
        "Vier Fenster im Erdgeschoss, keine Leiter nötig. Material ist da.",
        18,
        {"pay_per_hour_cents": 1000},
    ),
    (
        "lea",
        "offer",
        "taschengeld",
        "learning",
        "Nachhilfe in Mathe und Englisch",
        "Ich bin in der 11. Klasse und gebe Nachhilfe für die Klassen 5 bis 8.",
        6,
        {"radius_km": 5, "pay_per_hour_cents": 1000, "is_remote_ok": True},
    ),
    (
        "lea",
        "offer",
        "taschengeld",
        "childcare",
        "Babysitting am Wochenende",
        "Erste-Hilfe-Kurs am Kind vorhanden. Freitag- und Samstagabend bis 22 Uhr (mit Einverständnis meiner Eltern).",
        11,
        {"radius_km": 4, "pay_per_hour_cents": 1000},
    ),
    (
        "lea",
        "offer",
        "ehrenamt",
        "company",
        "Vorlesen im Seniorenheim",
        "Ich lese gern vor und würde einmal in der Woche ins Seniorenheim kommen.",
        25,
        {"radius_km": 6},
    ),
    (
        "petra",
        "offer",
        "zeitspende",
        "shopping",
        "Ich nehme Sie zum Einkaufen mit",
        "Ich fahre freitags zum Wochenmarkt und in den Supermarkt und nehme gern jemanden mit.",
        6,
        {"radius_km": 15},
    ),
    (
        "karl",
        "offer",
        "zeitspende",
        "repairs",
        "Kleine Reparaturen im Haushalt",
        "Tropfender Wasserhahn, klemmende Tür, Lampe anschließen: Ich helfe gern.",
        3,
        {"radius_km": 10},
    ),
    (
        "karl",
        "request",
        "tausch",
        "garden",
        "Tausche Gemüsepflanzen",
        "Ich habe zu viele Tomaten- und Zucchinipflanzen. Tausche gegen Kräuter oder Blumen.",
        13,
        {},
    ),
    (
        "karl",
        "offer",
        "ehrenamt",
        "transport",
        "Fahrdienst für den Sportverein",
        "Ich fahre die Jugendmannschaft zu Auswärtsspielen, wenn Eltern verhindert sind.",
        30,
        {"radius_km": 25},
    ),
    (
        "aylin",
        "request",
        "zeitspende",
        "childcare",
        "Hausaufgabenhilfe für meinen Sohn",
        "Mein Sohn (3. Klasse) braucht Hilfe beim Lesen. Zwei Nachmittage pro Woche wären toll.",
        2,
        {"timing": "recurring", "recurrence": "montags und mittwochs"},
    ),
    (
        "aylin",
        "offer",
        "tausch",
        "household",
        "Nähe Vorhänge und kürze Hosen",
        "Ich nähe gern. Tausche gegen Hilfe im Garten oder beim Umzug.",
        8,
        {"radius_km": 5},
    ),
    (
        "aylin",
        "offer",
        "ehrenamt",
        "learning",
        "Deutsch üben im Sprachcafé",
        "Ich helfe im Sprachcafé der Gemeinde und suche Mitstreiterinnen.",
        16,
        {"radius_km": 10},
    ),
    (
        "erna",
        "request",
        "ehrenamt",
        "company",
        "Besuchsdienst für Nachbarn",
        "Unser Seniorentreff sucht Menschen, die alleinstehende Nachbarn besuchen.",
        21,
        {},
    ),
    (
        "petra",
        "request",
        "zeitspende",
        "pets",
        "Katze füttern im Urlaub",
        "Vom 3. bis 10. des Monats: zweimal täglich Katze füttern in Delbrück-Mitte.",
        5,
        {"timing": "date", "on_date_days": 10},
    ),
    (
        "heinz",
        "request",
        "zeitspende",
        "transport",
        "Mitfahrgelegenheit zum Markt",
        "Wer fährt samstags zum Wochenmarkt und nimmt mich mit?",
        4,
        {"timing": "recurring", "recurrence": "samstags früh"},
    ),
    (
        "karl",
        "request",
        "taschengeld",
        "garden",
        "Hecke schneiden (nur leichte Arbeit)",
        "Kleine Ligusterhecke, Heckenschere vorhanden. Bitte nur Erwachsene, da elektrisch.",
        9,
        {"pay_per_hour_cents": 1200},
    ),
    (
        "jonas",
        "request",
        "tausch",
        "other",
        "Suche Fußballschuhe Größe 42",
        "Biete dafür Comics oder Hilfe beim Gartenaufräumen.",
        14,
        {},
    ),
    (
        "lea",
        "request",
        "ehrenamt",
        "other",
        "Helfer für das Dorffest gesucht",
        "Der Heimatverein sucht Helferinnen und Helfer für Aufbau und Kuchenstand.",
        3,
        {"timing": "date", "on_date_days": 20},
    ),
    (
        "aylin",
        "request",
        "taschengeld",
        "shopping",
        "Einkäufe für meine Mutter",
        "Meine Mutter wohnt in Sudhagen. Einmal pro Woche Einkäufe bringen (kein Alkohol, keine Zigaretten).",
        6,
        {"pay_per_hour_cents": 900},
    ),
    (
        "admin",
        "offer",
        "ehrenamt",
        "paperwork",
        "Sprechstunde Seniorenbeirat",
        "Der Seniorenbeirat hilft bei Fragen rund um Rente, Pflege und Anträge – im Rathaus oder telefonisch.",
        2,
        {"radius_km": 25, "is_remote_ok": True},
    ),
    (
        "erna",
        "offer",
        "tausch",
        "household",
        "Strickwaren gegen Hilfe",
        "Ich stricke Socken und Schals und tausche sie gern gegen kleine Hilfen.",
        19,
        {"radius_km": 2},
    ),
    (
        "petra",
        "offer",
        "zeitspende",
        "company",
        "Spaziergänge am Lippesee",
        "Ich gehe gern spazieren und freue mich über Begleitung.",
        22,
        {"radius_km": 10},
    ),
    (
        "karl",
        "offer",
        "taschengeld",
        "technology",
        "Computer einrichten",
        "Ich richte Ihren neuen Computer oder Drucker ein.",
        27,
        {"radius_km": 10, "pay_per_hour_cents": 1500},
    ),
    (
        "heinz",
        "offer",
        "zeitspende",
        "learning",
        "Schach für Anfänger",
        "Ich bringe Kindern und Erwachsenen Schach bei. Geduld garantiert.",
        12,
        {"radius_km": 5},
    ),
    (
        "gisela",
        "request",
        "zeitspende",
        "shopping",
        "Hilfe beim Einkaufen in der Innenstadt",
        "Ich brauche Begleitung für Besorgungen in der Paderborner Innenstadt.",
        3,
        {},
    ),
    (
        "gisela",
        "request",
        "zeitspende",
        "technology",
        "Videotelefonie mit den Enkeln",
        "Wer hilft mir, mit meinen Enkeln per Video zu telefonieren?",
        8,
        {"is_remote_ok": True},
    ),
    (
        "tim",
        "offer",
        "taschengeld",
        "garden",
        "Gartenhilfe in Paderborn",
        "Schüler, 16, hilft bei Laub, Unkraut und Rasen.",
        4,
        {"radius_km": 5, "pay_per_hour_cents": 1000},
    ),
    (
        "tim",
        "offer",
        "taschengeld",
        "pets",
        "Haustiere versorgen",
        "Ich füttere Ihre Katze oder Kaninchen, wenn Sie verreist sind.",
        10,
        {"radius_km": 3, "pay_per_hour_cents": 800},
    ),
    (
        "gisela",
        "offer",
        "tausch",
        "learning",
        "Klavierstunden gegen Gartenhilfe",
        "Ehemalige Musiklehrerin gibt Klavierstunden im Tausch gegen Hilfe im Garten.",
        15,
        {"radius_km": 3},
    ),
    (
        "tim",
        "request",
        "ehrenamt",
        "other",
        "Mitmachen beim Repair-Café",
        "Unser Repair-Café sucht Leute, die gern tüfteln.",
        7,
        {},
    ),
    (
        "gisela",
        "request",
        "taschengeld",
        "household",
        "Hilfe beim Frühjahrsputz",
        "Schränke auswischen und Gardinen abnehmen, ca. 3 Stunden.",
        20,
        {"pay_per_hour_cents": 1000},
    ),
]


def _birth_date(age: int) -> date:
    today = date.today()
    return (
        date(today.year - age, 3, 15)
        if (today.month, today.day) >= (3, 15)
        else date(today.year - age - 1, 3, 15)
    )


# Structured facts of the demo Kommunen: invented demo data (the e-mail domains are
# .example, the signatories fictional), not the towns' real contact details.
DEMO_FACTS = {
    "delbrueck": {
        "state": "NW",
        "postal_address": "Stadt Delbrück – Bürgerbüro\nMarktstraße 6\n33129 Delbrück",
        "phone": "05250 996-0",
        "office_hours": (
            "Demo-Angaben:\nMo–Fr 8:30–12:30 Uhr\nDo 14:00–17:30 Uhr\nund nach Vereinbarung"
        ),
        "contact_email": "nachbarschaft@delbrueck.example",
        "signatory_name": "Heike Amt",
        "signatory_role": "Seniorenbeauftragte",
    },
    "paderborn": {
        "state": "NW",
        "postal_address": "Stadt Paderborn – Seniorenbüro\nAm Abdinghof 11\n33098 Paderborn",
        "phone": "05251 88-0",
        "office_hours": "Demo-Angaben:\nMo–Do 9:00–15:00 Uhr\nFr 9:00–12:00 Uhr",
        "contact_email": "nachbarschaft@paderborn.example",
        "signatory_name": "Jan Beispiel",
        "signatory_role": "Ehrenamtskoordinator",
    },
}


def _fill_facts(m: Municipality) -> None:
    """Give a demo Kommune its facts where they are still empty (also on older demo data)."""
    for key, value in DEMO_FACTS.get(m.slug, {}).items():
        if not getattr(m, key):
            setattr(m, key, value)


def _municipality(slug, name, postcodes, districts, color):
    m = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
    if m is not None:
        _fill_facts(m)
        return m
    m = Municipality(
        slug=slug,
        name=name,
        postcodes_csv=",".join(postcodes),
        theme_color=color,
        contact_text=f"{DEMO_TEXT}\nBürgerbüro {name}",
        imprint_text=f"{DEMO_TEXT}\nVerantwortlich: Bürgermeisterin oder Bürgermeister von {name}.",
        privacy_text=f"{DEMO_TEXT}\nDie Kommune {name} verarbeitet nur Daten, die die Börse braucht.",
        accessibility_text=DEMO_TEXT,
    )
    _fill_facts(m)
    db.session.add(m)
    db.session.flush()
    for district_name, lat, lon in districts:
        db.session.add(
            District(
                municipality_id=m.id,
                name=district_name,
                postcode=postcodes[0],
                latitude=lat,
                longitude=lon,
            )
        )
    db.session.flush()
    return m


def seed_demo() -> list[tuple[str, str, str, str]]:
    """Create the demo data unless it exists; returns (name, e-mail, password, role) rows."""
    kommunen = {
        "delbrueck": _municipality(
            "delbrueck", "Delbrück", ["33129"], DELBRUECK_DISTRICTS, "#0b5ea8"
        ),
        "paderborn": _municipality("paderborn", "Paderborn", PADERBORN_POSTCODES, [], "#7a1f2b"),
    }
    users = {}
    for key, name, email, password, slug, place, age, role, phone in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            m = kommunen[slug]
            district = next((d for d in m.districts if d.name == place), None)
            point = district.point if district else postcode_point(place)
            user = User(
                municipality_id=m.id,
                email=email,
                password_hash=hash_password(password),
                display_name=name,
                birth_date=_birth_date(age),
                has_parental_consent=age < 16,
                district_id=district.id if district else None,
                postcode=district.postcode if district else place,
                latitude=point.latitude,
                longitude=point.longitude,
                phone=phone,
                role=role,
                locale="de",
            )
            db.session.add(user)
            db.session.flush()
            new_user = True
        else:
            new_user = False
        users[key] = (user, new_user)
    now = utcnow()
    for author_key, direction, kind, category, title, description, days_ago, extra in POSTINGS:
        author, is_new = users[author_key]
        if not is_new:
            continue
        extra = dict(extra)
        on_date_days = extra.pop("on_date_days", None)
        created = now - timedelta(days=days_ago, hours=days_ago % 7)
        db.session.add(
            Posting(
                municipality_id=author.municipality_id,
                author_id=author.id,
                direction=direction,
                kind=kind,
                category=category,
                title=title,
                description=description,
                district_id=author.district_id,
                postcode=author.postcode,
                latitude=author.latitude,
                longitude=author.longitude,
                timing=extra.pop("timing", "date" if on_date_days else "flexible"),
                on_date=date.today() + timedelta(days=on_date_days) if on_date_days else None,
                status="open",
                created_at=created,
                updated_at=created,
                expires_at=created + timedelta(weeks=8),
                **extra,
            )
        )
    db.session.flush()
    _demo_proxy(kommunen["delbrueck"], users["admin"][0])
    return [(name, email, password, role) for _k, name, email, password, *_r, role, _p in ACCOUNTS]


def _demo_proxy(municipality, admin) -> None:
    """A resident without internet whom the town hall looks after, with one request."""
    name = "Gertrud Schäfer"
    exists = db.session.scalar(
        select(User).where(
            User.municipality_id == municipality.id,
            User.is_proxy.is_(True),
            User.display_name == name,
        )
    )
    if exists is not None:
        return
    district = next(d for d in municipality.districts if d.name == "Hagen")
    proxy = User(
        municipality_id=municipality.id,
        email=None,
        password_hash=None,
        display_name=name,
        birth_date=date(1939, 12, 31),
        district_id=district.id,
        postcode=district.postcode,
        latitude=district.latitude,
        longitude=district.longitude,
        phone="05250 4711",
        is_proxy=True,
        has_email_notifications=False,
        match_email_frequency="never",
        locale="de",
    )
    db.session.add(proxy)
    db.session.flush()
    db.session.add(
        ProxyProfile(
            user_id=proxy.id,
            postal_address="Hagener Straße 12\n33129 Delbrück",
            birth_year=1939,
            contact_times="werktags 10 bis 12 Uhr",
            consent_on=date.today() - timedelta(days=14),
            consent_method="in_person",
            consent_by=admin.display_name,
            created_by_id=admin.id,
        )
    )
    created = utcnow() - timedelta(days=9)
    db.session.add(
        Posting(
            municipality_id=municipality.id,
            author_id=proxy.id,
            direction="request",
            kind="zeitspende",
            category="shopping",
            title="Hilfe beim Wocheneinkauf",
            description=(
                "Ich bin 87 und gehe nicht mehr gern allein zum Supermarkt. Wer nimmt mich "
                "freitags vormittags mit oder kauft für mich ein? Die Gemeinde vermittelt."
            ),
            district_id=district.id,
            postcode=district.postcode,
            latitude=district.latitude,
            longitude=district.longitude,
            timing="recurring",
            recurrence="freitags vormittags",
            status="open",
            created_at=created,
            updated_at=created,
            expires_at=created + timedelta(weeks=8),
        )
    )
    db.session.flush()
