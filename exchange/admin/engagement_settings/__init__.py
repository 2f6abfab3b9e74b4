"""How the Kommune issues Engagementnachweise (/k/<slug>/admin/engagement): who signs, the
stamp image, and how long ledger entries and consent records are kept."""
