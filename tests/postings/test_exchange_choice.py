"""The posting's Börse step: nothing chosen in advance, and a clear error when none is chosen.

With no radio checked, Tab stops once on the group and moves on without choosing; arrow keys
would choose (tests/browser/test_keyboard.py walks it with the keyboard).
"""

import re

from exchange.extensions import db
from tests.conftest import login_as, make_user, text_of
from tests.postings.steps import publish_in_steps, start_draft
from tests.postings.test_posting_writes import NEW, count_postings, valid_form


def kind_radios(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="kind"[^>]*>', html)


def test_no_exchange_is_chosen_in_advance(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()  # the sign-in request runs in its own session
    login_as(client, user)
    for url in (NEW, f"{NEW}?direction=offer", f"{NEW}?kind=nonsense"):
        page = client.get(url, follow_redirects=True)
        assert page.request.path.endswith("/kind")  # the Börse is the first step
        radios = kind_radios(page.get_data(as_text=True))
        assert len(radios) == 4
        assert not any("checked" in radio for radio in radios)
    # A link that names a Börse (e.g. from a Börse's page) still chooses it: the steps begin
    # with Gesuch or Angebot, and going back shows the Börse chosen.
    draft_url = start_draft(client, f"{NEW}?kind=zeitspende")
    assert client.get(f"{NEW}?kind=zeitspende").headers["Location"].endswith("/direction")
    radios = kind_radios(client.get(f"{draft_url}/kind").get_data(as_text=True))
    assert [r for r in radios if "checked" in r] == [
        next(r for r in radios if 'value="zeitspende"' in r)
    ]


def test_no_exchange_chosen_is_named_in_the_error_summary(client, delbrueck):
    user = make_user(delbrueck)
    db.session.commit()
    login_as(client, user)
    data = valid_form()
    del data["kind"]
    response = publish_in_steps(client, NEW, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert '<a class="kern-link" href="#kind">Wählen Sie eine Börse.</a>' in html
    assert text_of(response).count("Wählen Sie eine Börse.") == 2  # summary and field
    assert count_postings() == 0
