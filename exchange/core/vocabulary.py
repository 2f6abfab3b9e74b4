"""Closed vocabularies: string enums stored as their plain value, each with a translated label."""

from __future__ import annotations

import enum


class Vocabulary(enum.StrEnum):
    """A closed set of values; members compare equal to the strings kept in the database.

    Members are declared as ``NAME = "value", _l("Label")`` (optionally a third, shorter label),
    so a value and its words live in one place.
    """

    def __new__(cls, value: str, label=None, short_label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        member._short_label = short_label
        return member

    @property
    def label(self):
        """The translated label (a lazy string, rendered in the request's language)."""
        return self._label

    @property
    def short_label(self):
        """A shorter label for badges and tables; the label when there is none."""
        return self._short_label or self._label

    @classmethod
    def has(cls, value) -> bool:
        """True when value is one of the vocabulary's strings (Python 3.11's `in` raises)."""
        return isinstance(value, str) and value in cls._value2member_map_

    @classmethod
    def labels(cls) -> dict:
        """Every member mapped to its label, in declaration order."""
        return {member: member.label for member in cls}

    @classmethod
    def choices(cls, keys=None) -> list[tuple[str, object]]:
        """(value, label) pairs for a select or radio field, limited to keys when given."""
        return [(m.value, m.label) for m in cls if keys is None or m in keys]
