"""The page in Leichte Sprache in a real browser: reached from the header, the admin's form with
its error summary, an uploaded DGS video and its deletion — each state with no axe violation."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(2048)


def test_header_link_leads_to_the_page_in_leichte_sprache(live, page):
    page.goto(live["url"] + "/k/delbrueck/?lang=fa")
    page.locator("header").get_by_role("link", name="Leichte Sprache").click()
    expect(page).to_have_url(re.compile(r"/k/delbrueck/leichte-sprache$"))
    expect(page.locator("main .easy-language")).to_have_attribute("lang", "de")
    expect(page.locator("main")).to_contain_text("Geprüft von: Prüf-Gruppe Leichte Sprache")
    assert_accessible(page)


def test_admin_edits_the_text_and_fills_the_video_slot(live, page, tmp_path):
    live["app"].config["EASY_LANGUAGE_VIDEO_FOLDER"] = str(tmp_path / "videos")
    sign_in(page, live["url"], "admin@delbrueck.example", "Admin-Demo-2026!")
    page.goto(live["url"] + "/k/delbrueck/admin/easy-language")
    page.get_by_text("Preview of the default text").or_(
        page.locator("details.easy-language-preview summary")
    ).first.click()
    expect(page.locator("details.easy-language-preview")).to_have_attribute("open", "")
    assert_accessible(page)

    # A check without its date: the error summary takes the focus, nothing is saved.
    page.fill("#checked_on", "")
    page.locator("form[action$='/easy-language'] button[type=submit]").click()
    expect(page).to_have_title(re.compile(r"^(Fehler|Error):"))
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    # A file that is not an MP4 is refused; an MP4 is shown with controls.
    page.goto(live["url"] + "/k/delbrueck/admin/easy-language")
    page.set_input_files(
        "#video", files=[{"name": "film.mp4", "mimeType": "video/mp4", "buffer": b"nope" * 10}]
    )
    page.locator("form[action$='/video'] button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    page.set_input_files(
        "#video", files=[{"name": "dgs.mp4", "mimeType": "video/mp4", "buffer": MP4}]
    )
    page.locator("form[action$='/video'] button[type=submit]").click()
    expect(page.locator(".flashes")).to_be_visible()
    assert_accessible(page)

    page.goto(live["url"] + "/k/delbrueck/leichte-sprache")
    video = page.locator("video.dgs-video")
    expect(video).to_have_attribute("controls", "")
    assert video.get_attribute("autoplay") is None
    assert_accessible(page)

    # Deleting asks first.
    page.goto(live["url"] + "/k/delbrueck/admin/easy-language")
    page.locator("main").get_by_role(
        "link", name=re.compile("(Video löschen|Delete the video)")
    ).click()
    expect(page).to_have_url(re.compile(r"/easy-language/video/delete$"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/easy-language$"))
    page.goto(live["url"] + "/k/delbrueck/leichte-sprache")
    expect(page.locator("video")).to_have_count(0)
