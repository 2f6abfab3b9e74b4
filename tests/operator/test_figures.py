"""The operator's figures across all Kommunen (issue 11, B.6): /admin/figures."""

from __future__ import annotations

import pytest

from tests.admin.figures_data import build, csv_of, tables_of
from tests.conftest import login_as

URL = "/admin/figures"


@pytest.fixture
def world(delbrueck, paderborn):
    return build(delbrueck, paderborn)


def test_the_operator_sees_every_kommune(client, world):
    login_as(client, world["operator"])
    response = client.get(URL, query_string={"year": 2025, "lang": "en"})
    assert response.status_code == 200
    tables = tables_of(response).tables
    per = tables["figures-municipalities"]
    # Postings, responses, matched, help given, hours, helpers, of whom young people.
    assert per["Delbrück"] == ["4", "3", "2", "2", "3.5", "2", "1"]
    assert per["Paderborn"] == ["3", "3", "3", "3", "30.0", "1", "1"]
    key = tables["figures-key"]
    assert key["Postings"] == ["7"]
    assert key["Hours given"] == ["33.5"]
    assert key["Active helpers"] == ["3"]
    assert key["of whom young people"] == ["2"]
    assert tables["figures-kinds"]["Tauschbörse"] == ["3"]
    # Ortsteile belong to one Kommune each: no table of them across all.
    assert "figures-districts" not in tables
    quarters = tables_of(client.get(URL, query_string={"year": 2025, "period": "quarter"}))
    assert quarters.tables["figures-key"][quarters.order["figures-key"][1]] == ["4", "1", "2", "0"]


def test_the_operator_csv(client, world):
    login_as(client, world["operator"])
    rows = csv_of(client.get(URL + ".csv", query_string={"year": 2025}))
    assert ["2025", "year", "2025", "hours_given", "", "33.5"] in rows
    assert ["2025", "year", "2025", "hours_given", "paderborn", "30.0"] in rows
    assert ["2025", "year", "2025", "active_helpers_minors", "delbrueck", "1"] in rows


def test_only_the_operator(client, world):
    assert client.get(URL).status_code == 302
    login_as(client, world["admin"])
    assert client.get(URL).status_code == 403
    assert client.get(URL + ".csv").status_code == 403


def test_linked_from_the_operator_start_page(client, world):
    login_as(client, world["operator"])
    assert 'href="/admin/figures"' in client.get("/admin/").get_data(as_text=True)
