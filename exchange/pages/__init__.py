"""Start page, platform pages (imprint, privacy, accessibility), language switch, health check."""
