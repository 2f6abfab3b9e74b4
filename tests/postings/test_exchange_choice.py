"""The posting form's Börse: nothing chosen in advance, and a clear error when none is chosen.

With no radio checked, Tab stops once on the group and moves on without choosing; arrow keys
would choose (tests/browser/test_keyboard.py walks it with the keyboard).
"""

import re

from exchange.extensions import db
from tests.conftest import login_as, make_user, post, text_of
from tests.postings.test_posting_writes import NEW, count_postings, valid_form


def kind_radios(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="kind"[^>]*>', html)


def test_no_exchange_is_chosen_in_advance(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()  # the sign-in request runs in its own session
    login_as(client, user)
    for url in (NEW, f"{NEW}?direction=offer", f"{NEW}?kind=nonsense"):
        radios = kind_radios(client.get(url).get_data(as_text=True))
        assert len(radios) == 4
        assert not any("checked" in radio for radio in radios)
    # A link that names a Börse (e.g. from a Börse's page) still chooses it.
    radios = kind_radios(client.get(f"{NEW}?kind=zeitspende").get_data(as_text=True))
    assert [r for r in radios if "checked" in r] == [
        next(r for r in radios if 'value="zeitspende"' in r)
    ]


def test_no_exchange_chosen_is_named_in_the_error_summary(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    data = valid_form()
    del data["kind"]
    response = post(client, NEW, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert '<a class="kern-link" href="#kind">Wählen Sie eine Börse.</a>' in html
    assert text_of(response).count("Wählen Sie eine Börse.") == 2  # summary and field
    assert count_postings() == 0
