"""Reads about accounts (the personal data export lives in export.py)."""
