"""The admin area's URLs are printed on letters: every rule and method stays as it was.

The expected set was taken from app.url_map on main before the admin area was split into
sub-packages (one blueprint each); only the endpoint names changed then, never a URL. Added
since: the letters as PDFs beside their printable pages (activation.pdf, sheet.pdf); the
Kommune's terms of use and code of conduct (terms); its accessibility statement and its
reported barriers; the page in Leichte Sprache and its DGS video (easy-language); the figures
for the council and their CSV (figures, figures.csv); the Taschengeldbörse's rules, holidays
and the parents' consent forms (youth); the Engagementnachweis settings and stamp (engagement)
and hiding reported thanks; the help records whose hours an admin decides or corrects
(help-records).
"""

ADMIN_URLS = {
    ("/k/<slug>/admin/", "GET"),
    ("/k/<slug>/admin/accessibility", "GET,POST"),
    ("/k/<slug>/admin/acting/stop", "POST"),
    ("/k/<slug>/admin/approvals", "GET"),
    ("/k/<slug>/admin/approvals/<int:user_id>/approve", "POST"),
    ("/k/<slug>/admin/approvals/<int:user_id>/decline", "GET,POST"),
    ("/k/<slug>/admin/audit", "GET"),
    ("/k/<slug>/admin/barriers", "GET"),
    ("/k/<slug>/admin/barriers/<int:feedback_id>/answered", "POST"),
    ("/k/<slug>/admin/easy-language", "GET,POST"),
    ("/k/<slug>/admin/engagement", "GET,POST"),
    ("/k/<slug>/admin/engagement/stamp", "POST"),
    ("/k/<slug>/admin/engagement/stamp.png", "GET"),
    ("/k/<slug>/admin/engagement/stamp/remove", "POST"),
    ("/k/<slug>/admin/easy-language/link", "POST"),
    ("/k/<slug>/admin/easy-language/video", "POST"),
    ("/k/<slug>/admin/easy-language/video/delete", "GET,POST"),
    ("/k/<slug>/admin/export/figures.csv", "GET"),
    ("/k/<slug>/admin/export/postings.csv", "GET"),
    ("/k/<slug>/admin/figures", "GET"),
    ("/k/<slug>/admin/figures.csv", "GET"),
    ("/k/<slug>/admin/help-records", "GET"),
    ("/k/<slug>/admin/help-records/<int:record_id>", "GET,POST"),
    ("/k/<slug>/admin/inbox", "GET"),
    ("/k/<slug>/admin/inbox/<int:conversation_id>", "GET"),
    ("/k/<slug>/admin/inbox/<int:conversation_id>/notes", "POST"),
    ("/k/<slug>/admin/postings/<int:posting_id>/hide", "POST"),
    ("/k/<slug>/admin/postings/<int:posting_id>/unhide", "POST"),
    ("/k/<slug>/admin/proxies", "GET"),
    ("/k/<slug>/admin/proxies/<int:user_id>", "GET"),
    ("/k/<slug>/admin/proxies/<int:user_id>/act", "POST"),
    ("/k/<slug>/admin/proxies/<int:user_id>/activation", "GET,POST"),
    ("/k/<slug>/admin/proxies/<int:user_id>/activation.pdf", "POST"),
    ("/k/<slug>/admin/proxies/<int:user_id>/edit", "GET,POST"),
    ("/k/<slug>/admin/proxies/<int:user_id>/sheet", "GET"),
    ("/k/<slug>/admin/proxies/<int:user_id>/sheet.pdf", "GET"),
    ("/k/<slug>/admin/proxies/new", "GET,POST"),
    ("/k/<slug>/admin/reports", "GET"),
    ("/k/<slug>/admin/reports/<int:report_id>/resolve", "POST"),
    ("/k/<slug>/admin/settings", "GET,POST"),
    ("/k/<slug>/admin/terms", "GET,POST"),
    ("/k/<slug>/admin/thanks/<int:thanks_id>/hide", "POST"),
    ("/k/<slug>/admin/thanks/<int:thanks_id>/unhide", "POST"),
    ("/k/<slug>/admin/users/<int:user_id>/block", "POST"),
    ("/k/<slug>/admin/users/<int:user_id>/unblock", "POST"),
    ("/k/<slug>/admin/youth", "GET,POST"),
    ("/k/<slug>/admin/youth/holidays", "GET"),
    ("/k/<slug>/admin/youth/holidays/local", "POST"),
    ("/k/<slug>/admin/youth/holidays/local/<int:holiday_id>/remove", "POST"),
    ("/k/<slug>/admin/youth/holidays/school", "POST"),
    ("/k/<slug>/admin/youth/holidays/school/<int:school_holiday_id>/remove", "POST"),
    ("/k/<slug>/admin/youth/consents", "GET"),
    ("/k/<slug>/admin/youth/consents/<int:user_id>", "GET,POST"),
    ("/k/<slug>/admin/youth/consents/<int:user_id>/pupil", "POST"),
    ("/k/<slug>/admin/youth/consents/<int:user_id>/withdraw", "GET,POST"),
}

# The residents' report forms live with moderation but outside the admin area.
REPORT_URLS = {
    ("/k/<slug>/postings/<int:posting_id>/report", "GET,POST", "reports.report_posting"),
    (
        "/me/messages/<int:conversation_id>/messages/<int:message_id>/report",
        "GET,POST",
        "reports.report_message",
    ),
    (
        "/me/engagement/nachweis/danke/<int:thanks_id>/melden",
        "GET,POST",
        "reports.report_thanks",
    ),
}


def _methods(rule) -> str:
    return ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))


def test_admin_urls_and_methods_are_unchanged(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/k/<slug>/admin")]
    assert {(r.rule, _methods(r)) for r in rules} == ADMIN_URLS
    # One rule per URL and method: no blueprint answers another's URL.
    assert len(rules) == len(ADMIN_URLS)


def test_each_admin_sub_package_has_its_blueprint(app):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/k/<slug>/admin")]
    assert {r.endpoint.partition(".")[0] for r in rules} == {
        "admin_overview",
        "admin_settings",
        "admin_proxies",
        "admin_moderation",
        "admin_audit",
        "admin_youth",
        "admin_engagement",
        "admin_help_records",
    }


def test_report_urls_keep_their_endpoints(app):
    rules = {(r.rule, _methods(r), r.endpoint) for r in app.url_map.iter_rules()}
    assert REPORT_URLS <= rules
