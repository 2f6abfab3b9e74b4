"""The e-mail outbox: queued in the event's transaction, delivered by a worker (below accounts)."""
