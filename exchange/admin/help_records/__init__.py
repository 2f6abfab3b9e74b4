"""The Kommune's help records (/k/<slug>/admin/help-records): disputed and waiting hours, which
an admin decides and books, and corrections of confirmed hours."""
