"""The requested page number of a paginated list, always within bounds."""

from flask import request

# Far beyond any real list; keeps OFFSET within what every database accepts.
MAX_PAGE = 10_000


def requested_page(max_page: int = MAX_PAGE) -> int:
    """?page= as a number from 1 to max_page; anything else reads as the first page."""
    raw = request.args.get("page", "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    if len(raw) > len(str(max_page)):
        return max_page
    return min(max(int(raw), 1), max_page)
