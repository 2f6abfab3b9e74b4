"""Moderation: reports of postings and messages, hiding postings, blocking accounts, and
approving new registrations."""
