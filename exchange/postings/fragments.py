"""Parts of a page rendered once and reused while everything they show is the same.

The board's filter form is the same for most requests (same language, Kommune, choices and
selection), yet rendering its eight fields through the form macros was the largest part of the
board's render time (docs/performance.md). A template wraps such a part in
``{% call cache(key) %}…{% endcall %}``: the view passes a FragmentCache and a key that holds
everything the part shows, and the body is rendered only when that key is new. A key of None
renders the body without keeping it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from markupsafe import Markup


class FragmentCache:
    """A small thread-safe LRU of rendered template parts."""

    def __init__(self, size: int):
        self.size = size
        self._parts: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: tuple | None, caller) -> Markup:
        """``{% call cache(key) %}body{% endcall %}``: the stored part, else the rendered body."""
        if key is None:
            return caller()
        with self._lock:
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
                return part
        part = Markup(caller())  # noqa: S704 - the body was rendered (and escaped) by Jinja
        with self._lock:
            self._parts[key] = part
            while len(self._parts) > self.size:
                self._parts.popitem(last=False)
        return part

    def clear(self) -> None:
        """Forget every part."""
        with self._lock:
            self._parts.clear()
