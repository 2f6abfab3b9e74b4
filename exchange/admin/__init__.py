"""The Kommune's admin area, by concern (docs/architecture.md, "admin areas"):

overview | settings      the Kommune's figures and exports; its own facts
proxies | moderation     residents without internet, acting for them, their inbox and letters;
  | youth                reports, hiding, blocking, approvals; the Taschengeldbörse's rules,
                         holidays and the parents' consent forms (none imports another)
audit                    the acting-for audit log, which everything above may write to
access, acting           who may enter (admin_required, check_admin) and who is acted for

Each sub-package has its own blueprint ``admin_<name>``; all of them live under
/k/<slug>/admin/. ``models`` re-exports every admin table for exchange/models.py.
"""
