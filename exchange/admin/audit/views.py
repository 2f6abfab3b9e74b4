"""The audit log page (/k/<slug>/admin/audit): who acted for whom, and what they did."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from ...core.inputs import page_arg
from ...i18n import _
from ...municipalities.tenancy import attach_tenant
from ..access import admin_required
from . import queries
from .forms import AuditFilterForm

bp = Blueprint("admin_audit", __name__, url_prefix="/k/<slug>/admin")
attach_tenant(bp)


@bp.get("/audit")
@admin_required
def audit():
    """Who acted for whom, and what they did."""
    form = AuditFilterForm(request.args)
    _offer_choices(form, queries.audit_choices(g.municipality))
    filters = form.filters()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit/audit.html",
        form=form,
        page=queries.audit_log(g.municipality, filters, page_arg()),
        args=args,
        label=audit_action_label,
    )


def _offer_choices(form: AuditFilterForm, choices: dict) -> None:
    form.admin.choices = [("", _("All admins"))] + [(str(i), n) for i, n in choices["admins"]]
    form.proxy.choices = [("", _("All residents"))] + [(str(i), n) for i, n in choices["proxies"]]
    form.action.choices = [("", _("All actions"))] + [
        (a, audit_action_label(a)) for a in choices["actions"]
    ]


def audit_action_label(action: str) -> str:
    """Plain words for an audit action (the endpoint used)."""
    labels = {
        "acting.start": _("Started acting"),
        "acting.stop": _("Stopped acting"),
        "postings.create": _("Created a posting"),
        "postings.edit": _("Edited a posting"),
        "postings.close": _("Closed a posting"),
        "postings.reopen": _("Reopened a posting"),
        "postings.extend": _("Extended a posting"),
        "postings.done": _("Marked a posting as done"),
        "ledger.outcome": _("Reported what happened after a posting"),
        "ledger.confirm": _("Answered the hours of a help record"),
        "postings.assign": _("Chose a helper"),
        "postings.respond": _("Responded to a posting"),
        "messaging.conversation": _("Wrote a message"),
        "messaging.phone": _("Changed phone sharing"),
        "matching.save_search": _("Saved a search"),
        "matching.delete_search": _("Deleted a saved search"),
        "reports.report_posting": _("Reported a posting"),
        "reports.report_message": _("Reported a message"),
        "admin_youth.policy": _("Changed the rules for young helpers"),
        "admin_youth.add_local_holiday": _("Added a local holiday"),
        "admin_youth.remove_local_holiday": _("Removed a local holiday"),
        "admin_youth.add_school_holiday": _("Added school holidays"),
        "admin_youth.remove_school_holiday": _("Removed school holidays"),
        "admin_youth.record_consent": _("Recorded a consent form of the parents"),
        "admin_youth.withdraw_consent": _("Recorded the withdrawal of a consent"),
        "admin_youth.pupil": _("Changed the school status"),
    }
    return labels.get(action, action)
