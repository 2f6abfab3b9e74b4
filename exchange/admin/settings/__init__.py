"""The Kommune's own facts, edited by its admins."""
