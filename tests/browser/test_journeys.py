"""Erna's and the town hall's whole journeys, with the keyboard only, at 200 % text (issue 10, A10).

No mouse: only Tab, Shift+Tab, arrow keys, Space, Enter and typing. page.goto only opens the
first page and follows the link from an e-mail. Every Tab stop on the way must be in view, not
covered, and show a visible focus; the Tab presses of each step are printed (run with -s).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.extensions import db
from exchange.messaging import services as messaging
from exchange.postings.models import Posting
from tests.browser.conftest import assert_accessible
from tests.conftest import link_in_mail

ADMIN = ("admin@delbrueck.example", "Admin-Demo-2026!")
PASSWORD = "Kaffee mit Kuchen 1947"
TITLE = "Begleitung zum Augenarzt"
MAX_TABS = 150
# A desk's screen, and a phone's (where text at 200 % leaves about 160 px of CSS width).
VIEWPORTS = {"1280x800": {"width": 1280, "height": 800}, "320x640": {"width": 320, "height": 640}}
STEPS = ("kind", "direction", "category", "when", "where", "text", "check")

# The page scrolls smoothly (KERN's scroll-behavior), also to a #fragment when it loads: wait
# until it stands still, as a person would before pressing the next key.
SETTLE = """async () => {
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    let last = null;
    for (let i = 0; i < 120; i++) {
        await frame();
        const now = `${scrollX},${scrollY}`;
        if (now === last) return;
        last = now;
    }
}"""

# Where the focus is after a key press: in view, not covered by anything else, and visibly
# marked (the site's :focus-visible ring). Returns what it found, and whether it is the target.
FOCUS_STOP = (
    "async target => {\n    await ("
    + SETTLE
    + ")();\n"
    + """    const e = document.activeElement;
    if (!e || e === document.body) {
        return {isTarget: false, what: 'body', problem: 'focus on the page itself'};
    }
    const what = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} `
        + `"${(e.innerText || e.value || e.name || '').trim().slice(0, 40)}"`;
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    const problems = [];
    if (box.width < 1 || box.height < 1) problems.push('no size');
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    if (box.bottom <= 0 || box.top >= innerHeight || box.right <= 0 || box.left >= innerWidth) {
        problems.push('out of view');
    } else {
        const hit = document.elementFromPoint(x, y);
        const label = hit && hit.closest('label');
        if (hit && !(hit === e || e.contains(hit) || hit.contains(e)
                     || (label && label.control === e))) {
            problems.push(`covered by ${hit.tagName.toLowerCase()}.${hit.className}`);
        }
    }
    // A date field's calendar button (not :focus itself) gets the browser's own ring.
    const pickerButton = e.type === 'date' && !e.matches(':focus');
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = pickerButton || outline || style.boxShadow !== 'none';
    if (!(pickerButton || e.matches(':focus-visible')) || !ring) problems.push('no visible focus');
    return {isTarget: e === target, what, problem: problems.join(', ')};
}"""
)


class Keyboard:
    """One person's keyboard: Tab presses counted per step, every stop on the way checked."""

    def __init__(self, page):
        self.page = page
        self.counts: dict[str, int] = {}
        self.date_order: str | None = None

    def tab_to(self, target, step: str, *, back: bool = False) -> int:
        """Press Tab (Shift+Tab) until target has the focus; counted under step."""
        key = "Shift+Tab" if back else "Tab"
        self.page.evaluate(SETTLE)
        problems = []
        presses = 0
        while presses < MAX_TABS:
            presses += 1
            self.page.keyboard.press(key)
            stop = target.evaluate(FOCUS_STOP)
            if stop["problem"]:
                problems.append(f"{stop['what']}: {stop['problem']}")
            if stop["isTarget"]:
                break
        else:
            pytest.fail(f"{step}: target not reached in {MAX_TABS} presses of {key}")
        expect(target).to_be_focused()
        assert not problems, f"{step}: {problems}"
        self.counts[step] = self.counts.get(step, 0) + presses
        return presses

    def type_into(self, target, text: str, step: str) -> None:
        """Tab to a text field and type."""
        self.tab_to(target, step)
        self.page.keyboard.type(text)
        expect(target).to_have_value(text)

    def choose_radio(self, group: str, value: str, step: str) -> None:
        """Tab into a radio group (it stops on the chosen answer, else the first), then Space
        and the arrow keys."""
        page = self.page
        radios = page.locator(f"input[type=radio][name={group}]")
        values = radios.evaluate_all("radios => radios.map(radio => radio.value)")
        checked = radios.evaluate_all("radios => radios.findIndex(radio => radio.checked)")
        self.tab_to(radios.nth(max(checked, 0)), step)
        if checked < 0:
            page.keyboard.press("Space")
            expect(radios.first).to_be_checked()
        for _ in range(values.index(value) - max(checked, 0)):
            page.keyboard.press("ArrowDown")
        wanted = radios.nth(values.index(value))
        expect(wanted).to_be_checked()
        expect(wanted).to_be_focused()

    def type_date(self, field, day: str, month: str, year: str, step: str) -> None:
        """Tab to a date field and type the date, in the order the field takes it."""
        parts = {"D": day, "M": month, "Y": year}
        typed = "".join(parts[part] for part in self._date_order())
        self.tab_to(field, step)
        self.page.keyboard.type(typed)
        expect(field).to_have_value(f"{year}-{month}-{day}")

    def _date_order(self) -> str:
        """The order a date field takes the day, month and year from the keyboard.

        Chromium lays date fields out in its own language, not the page's: Debian's ships
        only en-US, so there it is month first even on a German page (a German one: day
        first). Found out once, on a blank page of its own.
        """
        if self.date_order is None:
            probe = self.page.context.new_page()
            probe.set_content("<input type=date id=d>")
            probe.focus("#d")
            probe.keyboard.type("12061947")
            self.date_order = "DMY" if probe.input_value("#d") == "1947-06-12" else "MDY"
            probe.close()
        return self.date_order

    def check(self, box, step: str) -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(box, step)
        self.page.keyboard.press("Space")
        expect(box).to_be_checked()

    def choose_option(self, select, label: str, step: str) -> None:
        """Tab to a select and type the start of an option's label (no list opened)."""
        self.tab_to(select, step)
        self.page.keyboard.type(label)
        expect(select.locator("option:checked")).to_have_text(label)

    def press_enter(self, target, step: str, *, back: bool = False) -> None:
        """Tab (Shift+Tab) to a link or a button and press Enter."""
        self.tab_to(target, step, back=back)
        self.page.keyboard.press("Enter")

    def skip_to_content(self, step: str) -> None:
        """From the top of a page: the skip link, Enter, and the focus is on the content.

        Nothing to do on a page whose address ends in #main (a form sent to its own address
        after the skip link was used, or a redirect from there): the browser starts there.
        """
        if self.page.url.endswith(("#main", "#admin-content")):
            self.counts.setdefault(step, 0)
            return
        self.press_enter(self.page.locator(".skip-link"), step)
        expect(self.page.locator("main")).to_be_focused()

    def skip_admin_menu(self, step: str) -> None:
        """On an admin page, past the admin menu (inside <main>) with its own skip link."""
        if self.page.url.endswith("#admin-content"):
            self.counts.setdefault(step, 0)
            return
        self.skip_to_content(step)
        self.press_enter(self.page.locator(".admin-nav-skip"), step)
        expect(self.page.locator("#admin-content")).to_be_focused()

    def report(self, who: str) -> None:
        """Print the Tab presses of each step."""
        print(f"\nTab presses, {who} ({sum(self.counts.values())} in all):")
        for step, presses in self.counts.items():
            print(f"  {presses:3d}  {step}")


@pytest.fixture(params=list(VIEWPORTS))
def keyboard_page(browser, request):
    """A fresh browser in German, 1280 × 800 and 320 × 640."""
    context = browser.new_context(locale="de-DE", viewport=VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def larger_text(page, keys: Keyboard) -> None:
    """With the header's own control: 200 %, remembered from then on."""
    link = page.locator('.display-switch a[href$="textsize=200"]')
    keys.press_enter(link, "text size 200 %")
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    expect(page.locator('.display-switch a[href$="textsize=200"]')).to_have_attribute(
        "aria-current", "true"
    )


def header_link(page, href: str):
    """A link of the page header, by address."""
    return page.locator(f'header a[href="{href}"]')


def answer_as_jonas(live, erna_email: str, body: str) -> None:
    """Jonas answers Erna's newest posting (his part, not hers: through the services)."""
    with live["app"].test_request_context():
        erna = db.session.scalar(select(User).where(User.email == erna_email))
        jonas = db.session.scalar(select(User).where(User.email == "jonas@example.org"))
        posting = db.session.scalar(
            select(Posting).where(Posting.author_id == erna.id).order_by(Posting.id.desc())
        )
        messaging.respond(posting, jonas, body)
        db.session.commit()


def test_ernas_journey_with_the_keyboard_at_200_percent(live, keyboard_page):
    page, base = keyboard_page, live["url"]
    keys = Keyboard(page)
    # A new address for each screen size (the demo database is the module's).
    email = f"erna.{page.viewport_size['width']}@example.org"

    # The board of her Kommune; larger text first, with the header's control.
    page.goto(base + "/k/delbrueck/")
    larger_text(page, keys)
    assert_accessible(page)

    # 1. She registers.
    keys.press_enter(header_link(page, "/register"), "to the registration")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrieren")
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    assert_accessible(page)
    step = "registration form"
    keys.skip_to_content(step)
    keys.type_into(page.locator("#display_name"), "Erna Test", step)
    keys.type_into(page.locator("#email"), email, step)
    keys.type_into(page.locator("#password"), PASSWORD, step)
    keys.type_into(page.locator("#password_repeat"), PASSWORD, step)
    keys.type_date(page.locator("#birth_date"), "12", "06", "1947", step)
    keys.choose_option(page.locator("#municipality"), "Delbrück", step)
    keys.choose_option(page.locator("#district"), "Westenholz (Delbrück)", step)
    keys.check(page.locator("#accepts_privacy"), step)
    keys.check(page.locator("#accepts_terms"), step)
    keys.press_enter(page.get_by_role("button", name="Konto anlegen"), step)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihre E-Mails")
    expect(page.locator("main")).to_contain_text(email)
    assert_accessible(page)

    # She signs in at once (the page offers it).
    keys.skip_to_content("to signing in")
    keys.press_enter(page.locator("main").get_by_role("link", name="Anmelden"), "to signing in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    keys.skip_to_content("sign-in form")
    keys.type_into(page.locator("#email"), email, "sign-in form")
    keys.type_into(page.locator("#password"), PASSWORD, "sign-in form")
    page.keyboard.press("Enter")
    # (The skip link's #main goes along through the redirect: the page starts at its content.)
    expect(page).to_have_url(re.compile(r"/k/delbrueck/(#main)?$"))
    expect(page.locator("header")).to_contain_text("Abmelden")

    # The link in her mail confirms the address (a page of its own, as from her mail program).
    page.goto(base + link_in_mail(live["mail"], email))
    expect(page.locator(".flashes")).to_contain_text("ist bestätigt")
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    assert_accessible(page)

    # 2. She asks for help, one step after the other.
    keys.skip_to_content("to step 1")
    keys.press_enter(page.locator("main").get_by_role("link", name="Hilfe suchen"), "to step 1")

    def at_step(name: str) -> None:
        expect(page).to_have_url(re.compile(rf"/postings/drafts/\d+/{name}$"))
        expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
        assert_accessible(page)
        keys.skip_to_content(f"step {name}")

    def next_step(name: str) -> None:
        keys.press_enter(page.locator("main form button[name=nav][value=next]"), f"step {name}")

    at_step("kind")
    keys.choose_radio("kind", "zeitspende", "step kind")
    next_step("kind")
    at_step("direction")
    # "Hilfe suchen" chose the request already; Tab stops on the chosen answer.
    keys.choose_radio("direction", "request", "step direction")
    next_step("direction")
    at_step("category")
    keys.choose_radio("category", "company", "step category")
    next_step("category")
    at_step("when")
    keys.choose_radio("timing", "flexible", "step when")
    next_step("when")
    at_step("where")
    # Her Ortsteil is filled in from her account.
    expect(page.locator("#district option:checked")).to_have_text("Westenholz")
    next_step("where")
    at_step("text")
    keys.type_into(page.locator("#title"), TITLE, "step text")
    keys.type_into(
        page.locator("#description"),
        "Ich habe am Donnerstag einen Termin in Delbrück und sehe danach schlecht.",
        "step text",
    )
    next_step("text")
    at_step("check")
    expect(page.locator("#preview-title")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Westenholz")
    keys.press_enter(page.get_by_role("button", name="Eintrag veröffentlichen"), "step check")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)

    # 3. Jonas answers (his part, through the services).
    answer_as_jonas(live, email, "Guten Tag! Ich fahre Sie gern am Donnerstag hin. Jonas")

    # She opens her messages from the header and reads the answer.
    keys.press_enter(header_link(page, "/me/messages/"), "to the messages")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachrichten")
    assert_accessible(page)
    keys.skip_to_content("to the conversation")
    keys.press_enter(page.locator("main").get_by_role("link", name=TITLE), "to the conversation")
    expect(page.locator(".message-list")).to_contain_text("Ich fahre Sie gern am Donnerstag")
    assert_accessible(page)

    # She chooses Jonas, and confirms it on the page that asks.
    keys.skip_to_content("choose Jonas")
    keys.press_enter(
        page.locator("main").get_by_role("button", name="Jonas B. auswählen"), "choose Jonas"
    )
    confirm = page.locator("form.confirm-choice")
    expect(confirm).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jonas B.")
    assert_accessible(page)
    keys.skip_to_content("confirm Jonas")
    keys.press_enter(confirm.get_by_role("button", name="Jonas B. auswählen"), "confirm Jonas")
    expect(page.locator(".flashes")).to_contain_text("Sie haben jemanden ausgewählt")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".badges")).to_contain_text("Vergeben")
    assert_accessible(page)

    # 4. Help found: she says what happened (issue 11 B.1), and the posting ends.
    keys.skip_to_content("help found")
    keys.press_enter(page.locator("#end-done"), "help found")
    expect(page.locator("#outcome-form")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    assert_accessible(page)
    keys.skip_to_content("what happened")
    keys.choose_radio("outcome", "helped", "what happened")
    # Jonas, the chosen helper, is preselected; the day is today.
    expect(page.locator("input[name=person]:checked")).to_have_count(1)
    keys.type_into(page.locator("#hours"), "2", "what happened")
    keys.press_enter(page.locator("#outcome-form button[type=submit]"), "what happened")
    expect(page.locator(".flashes")).to_contain_text(
        "Der Eintrag steht nicht mehr in der Übersicht"
    )
    expect(page.locator(".badges")).to_contain_text("Erledigt")
    expect(page.locator("#end-done")).to_have_count(0)
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    assert_accessible(page)

    # The answer reached her by e-mail too, without Jonas' address.
    mails = live["mail"].bodies_to(email)
    assert any("Ich fahre Sie gern am Donnerstag" in body for body in mails)
    assert all("jonas@example.org" not in body for body in mails)
    keys.report("Erna")
    # Past the header with the skip link, each page's task is a few presses away.
    assert all(keys.counts[f"step {name}"] <= 12 for name in STEPS), keys.counts
    assert keys.counts["choose Jonas"] <= 12 and keys.counts["confirm Jonas"] <= 4, keys.counts


def test_town_hall_registers_gertrud_and_prints_her_letters_with_the_keyboard(live, keyboard_page):
    page, base = keyboard_page, live["url"]
    keys = Keyboard(page)

    page.goto(base + "/k/delbrueck/")
    larger_text(page, keys)

    # The admin signs in.
    keys.press_enter(header_link(page, "/login"), "to signing in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    keys.skip_to_content("sign-in form")
    keys.type_into(page.locator("#email"), ADMIN[0], "sign-in form")
    keys.type_into(page.locator("#password"), ADMIN[1], "sign-in form")
    page.keyboard.press("Enter")
    expect(page.locator("header")).to_contain_text("Abmelden")

    # To the residents without internet, through the admin area. The board starts at its
    # content (the skip link's #main went along through the sign-in): back up to the header.
    expect(page).to_have_url(re.compile(r"#main$"))
    keys.press_enter(
        page.locator("header").get_by_role("link", name="Verwaltung"), "to admin", back=True
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delbrück")
    assert_accessible(page)
    keys.skip_to_content("to the residents without internet")
    keys.press_enter(
        page.locator(".admin-nav").get_by_role("link", name="Menschen ohne Internet"),
        "to the residents without internet",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Menschen ohne Internet")
    assert_accessible(page)
    keys.skip_admin_menu("to the proxy form")
    keys.press_enter(
        page.locator("main").get_by_role("link", name="Person ohne Internet registrieren"),
        "to the proxy form",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Person ohne Internet registrieren")
    assert_accessible(page)

    # She registers Gertrud.
    step = "proxy form"
    keys.skip_admin_menu(step)
    keys.type_into(page.locator("#display_name"), "Gertrud Hanke", step)
    keys.type_into(page.locator("#phone"), "05250 4711", step)
    keys.tab_to(page.locator("#postal_address"), step)
    page.keyboard.type("Westenholzer Straße 12")
    page.keyboard.press("Enter")  # a new line in the address, not sending the form
    page.keyboard.type("33129 Delbrück")
    expect(page.locator("#postal_address")).to_have_value("Westenholzer Straße 12\n33129 Delbrück")
    keys.choose_option(page.locator("#district"), "Westenholz", step)
    keys.type_into(page.locator("#birth_year"), "1938", step)
    keys.type_into(page.locator("#contact_times"), "vormittags", step)
    keys.type_date(page.locator("#consent_on"), "20", "11", "2026", step)
    method = page.locator("#consent_method-0").get_attribute("value")
    keys.choose_radio("consent_method", method, step)
    expect(page.locator("#consent_by")).not_to_have_value("")
    keys.press_enter(page.locator("main form button[type=submit]"), step)
    expect(page.get_by_role("heading", level=1)).to_have_text("Gertrud Hanke")
    expect(page.locator("main")).to_contain_text("Westenholzer Straße 12")
    expect(page.locator("html")).to_have_class(re.compile(r"\btext-200\b"))
    assert_accessible(page)
    detail_url = page.url.split("#")[0]

    # Her activation letter, as a PDF for a window envelope.
    keys.skip_admin_menu("to the activation letter")
    keys.press_enter(
        page.locator("main").get_by_role("link", name="Brief mit Aktivierungscode"),
        "to the activation letter",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Brief mit Aktivierungscode")
    assert_accessible(page)
    keys.skip_admin_menu("activation letter as PDF")
    pdf_button = page.get_by_role(
        "button", name="Brief als PDF für einen Fensterumschlag erstellen"
    )
    keys.tab_to(pdf_button, "activation letter as PDF")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    letter = download_info.value
    assert re.fullmatch(r"aktivierung-\d+\.pdf", letter.suggested_filename)
    assert Path(letter.path()).read_bytes().startswith(b"%PDF-")

    # Back to Gertrud's page (the focus stayed on the button), and her Vermittlungsblatt.
    expect(pdf_button).to_be_focused()
    keys.press_enter(page.locator("main").get_by_role("link", name="Abbrechen"), "back to her")
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Gertrud Hanke")
    keys.skip_admin_menu("Vermittlungsblatt as PDF")
    sheet_link = page.locator("main").get_by_role("link", name="Vermittlungsblatt als PDF")
    keys.tab_to(sheet_link, "Vermittlungsblatt as PDF")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    sheet = download_info.value
    assert re.fullmatch(r"vermittlungsblatt-\d+\.pdf", sheet.suggested_filename)
    assert Path(sheet.path()).read_bytes().startswith(b"%PDF-")
    # A download leaves the page as it was, the focus where it was.
    expect(page).to_have_url(re.compile(re.escape(detail_url) + "(#admin-content)?$"))
    expect(sheet_link).to_be_focused()
    keys.report("the town hall")
    # Past the header and the admin menu, each task is a few presses away.
    for step in ("to the proxy form", "to the activation letter", "activation letter as PDF"):
        assert keys.counts[step] <= 12, keys.counts
