"""Kommune figures for the council (issue 11, B.6): /k/<slug>/admin/figures and its CSV."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from exchange.extensions import db
from exchange.municipalities.models import District
from tests.admin.figures_data import build, csv_of, posting, tables_of
from tests.conftest import login_as, post, text_of

URL = "/k/delbrueck/admin/figures"


@pytest.fixture
def world(delbrueck, paderborn):
    return build(delbrueck, paderborn)


@pytest.fixture
def admin_client(client, world):
    login_as(client, world["admin"])
    return client


def _get(client, **args):
    args.setdefault("lang", "en")
    response = client.get(URL, query_string=args)
    assert response.status_code == 200
    return tables_of(response)


def test_the_year_2025(admin_client):
    t = _get(admin_client, year=2025, period="year").tables
    assert t["figures-key"]["Figure"] == ["2025"]
    assert t["figures-key"]["Postings"] == ["4"]
    assert t["figures-key"]["Responses (conversations started)"] == ["3"]
    assert t["figures-key"]["Matched (a helper chosen)"] == ["2"]
    # The reported and the not-happened record do not count.
    assert t["figures-key"]["Help given (confirmed)"] == ["2"]
    # 2 h + 1.5 h
    assert t["figures-key"]["Hours given"] == ["3.5"]
    assert t["figures-key"]["Active helpers"] == ["2"]
    assert t["figures-key"]["of whom adults"] == ["1"]
    assert t["figures-key"]["of whom young people"] == ["1"]
    kinds = t["figures-kinds"]
    assert kinds["Zeitspende"] == ["2"]
    assert kinds["Taschengeldbörse"] == ["1"]
    assert kinds["Ehrenamt"] == ["1"]
    assert kinds["Tauschbörse"] == ["0"]
    assert t["figures-categories"] == {
        "Category": ["2025"],
        "Shopping & errands": ["1"],
        "Garden": ["1"],
        "Company & visits": ["1"],
        "Other": ["1"],
    }
    assert t["figures-districts"] == {
        "District": ["2025"],
        "Hagen": ["2"],
        "Westenholz": ["1"],
        "without district": ["1"],
    }


def test_quarters_and_months_count_by_german_time(admin_client):
    t = _get(admin_client, year=2025, period="quarter").tables
    key = t["figures-key"]
    assert key["Figure"] == ["Quarter 1", "Quarter 2", "Quarter 3", "Quarter 4"]
    # The posting of 30 April 22:30 UTC is in May (Q2); the one of 31 December 23:30 UTC in 2026.
    assert key["Postings"] == ["1", "1", "2", "0"]
    assert key["Responses (conversations started)"] == ["1", "2", "0", "0"]
    assert key["Matched (a helper chosen)"] == ["1", "1", "0", "0"]
    assert key["Hours given"] == ["2.0", "1.5", "0.0", "0.0"]
    assert key["Active helpers"] == ["1", "1", "0", "0"]
    assert key["of whom young people"] == ["0", "1", "0", "0"]
    assert t["figures-kinds"]["Taschengeldbörse"] == ["0", "1", "0", "0"]
    months = _get(admin_client, year=2025, period="month").tables["figures-key"]
    assert months["Figure"][:5] == ["January", "February", "March", "April", "May"]
    assert months["Postings"] == ["1", "0", "0", "0", "1", "0", "1", "1", "0", "0", "0", "0"]
    assert months["Hours given"][0] == "2.0"
    assert months["Hours given"][4] == "1.5"
    assert months["Help given (confirmed)"] == ["1", "0", "0", "0", "1"] + ["0"] * 7


def test_other_years(admin_client):
    t = _get(admin_client, year=2024).tables["figures-key"]
    assert t["Postings"] == ["1"]
    assert t["Hours given"] == ["0.5"]
    assert t["Active helpers"] == ["1"]
    t = _get(admin_client, year=2026).tables
    assert t["figures-key"]["Postings"] == ["1"]
    assert t["figures-categories"]["Garden"] == ["1"]
    assert t["figures-districts"]["without district"] == ["1"]


def test_hours_in_german(admin_client):
    page = text_of(admin_client.get(URL, query_string={"year": 2025, "lang": "de"}))
    assert "3,5" in page


def test_the_year_selector_offers_the_years_with_data(admin_client):
    response = admin_client.get(URL, query_string={"lang": "en"})
    page = response.get_data(as_text=True)
    assert '<option value="2024">2024</option>' in page
    assert '<option value="2023">' not in page
    # A year without data or nonsense falls back to this year.
    assert admin_client.get(URL, query_string={"year": "1999"}).status_code == 200
    assert admin_client.get(URL, query_string={"year": "x", "period": "week"}).status_code == 200


def test_no_figures_of_another_kommune(admin_client):
    # Paderborn: three Tauschbörse postings, 30 hours by a young person, all in Q1 2025.
    t = _get(admin_client, year=2025, period="quarter").tables
    assert t["figures-kinds"]["Tauschbörse"] == ["0", "0", "0", "0"]
    assert "Pets" not in t["figures-categories"]
    assert t["figures-key"]["Hours given"][0] == "2.0"
    rows = csv_of(admin_client.get(URL + ".csv", query_string={"year": 2025}))
    assert not [r for r in rows if r[3] == "postings_by_category" and r[4] == "pets"]


def test_charts_are_images_with_a_title(admin_client):
    page = admin_client.get(URL, query_string={"year": 2025, "lang": "en"}).get_data(as_text=True)
    assert page.count('role="img"') == 3
    assert '<title id="chart-hours-title">Hours given</title>' in page
    assert "2025: 3.5" in page  # the hours chart's description
    assert 'aria-labelledby="chart-kinds-title chart-kinds-desc"' in page
    assert "<caption" in page and 'scope="row"' in page
    assert " style=" not in page.split("<main", 1)[1]  # the CSP allows no inline styles


def test_a_rtl_chart_is_mirrored(admin_client):
    page = admin_client.get(URL, query_string={"year": 2025, "lang": "ar"}).get_data(as_text=True)
    assert 'text-anchor="end"' in page


def test_csv_rows_equal_the_tables(admin_client):
    for period in ("year", "quarter", "month"):
        args = {"year": 2025, "period": period, "lang": "en"}
        tables = tables_of(admin_client.get(URL, query_string=args))
        response = admin_client.get(URL + ".csv", query_string=args)
        assert response.mimetype == "text/csv"
        rows = csv_of(response)
        assert rows[0] == ["year", "period", "bucket", "measure", "key", "value"]
        from_csv: list[list[str]] = []
        last = None
        for row in rows[1:]:
            assert row[0] == "2025" and row[1] == period
            if (row[3], row[4]) != last:
                from_csv.append([])
                last = (row[3], row[4])
            from_csv[-1].append(row[5])
        from_html = [
            values
            for table in ("figures-key", "figures-kinds", "figures-categories", "figures-districts")
            for name, values in tables.tables[table].items()
            if name != tables.order[table][0]
        ]
        assert from_csv == from_html
    rows = csv_of(admin_client.get(URL + ".csv", query_string={"year": 2025, "period": "quarter"}))
    assert ["2025", "quarter", "2025-Q2", "hours_given", "", "1.5"] in rows
    assert ["2025", "quarter", "2025-Q1", "postings_by_exchange", "zeitspende", "1"] in rows


def test_csv_is_safe_for_spreadsheets(admin_client, delbrueck, world):
    bad = District(
        municipality_id=delbrueck.id,
        name="=HYPERLINK(1)",
        postcode="33129",
        latitude=51.7,
        longitude=8.5,
    )
    db.session.add(bad)
    db.session.flush()
    from tests.admin.figures_data import at

    posting(world["resident"], at(2025, 2, 1, 12), "zeitspende", "garden", bad)
    db.session.commit()
    rows = csv_of(admin_client.get(URL + ".csv", query_string={"year": 2025}))
    assert ["2025", "year", "2025", "postings_by_district", "'=HYPERLINK(1)", "1"] in rows


def test_few_statements_per_page(admin_client):
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        _get(admin_client, year=2025, period="month")
        first = len(statements)
        statements.clear()
        admin_client.get(URL + ".csv", query_string={"year": 2025, "period": "month"})
        csv_count = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    # The Kommune, the user, the header counts, and 4 for the figures (years, postings,
    # conversations, help records), however many months and rows.
    assert first <= 8, statements
    assert csv_count <= 7, statements


def test_who_may_see_the_figures(client, world):
    assert client.get(URL).status_code == 302  # guests: to the login page
    login_as(client, world["resident"])
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".csv").status_code == 403
    post(client, "/logout")
    login_as(client, world["pb_admin"])
    assert client.get(URL).status_code == 403
    assert client.get("/k/paderborn/admin/figures").status_code == 200


def test_linked_from_the_overview_and_the_menu(admin_client):
    page = admin_client.get("/k/delbrueck/admin/?lang=en").get_data(as_text=True)
    assert page.count('href="/k/delbrueck/admin/figures"') == 2
