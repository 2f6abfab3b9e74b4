"""The Kommune's overview: figures, what waits for the admins, CSV exports."""
