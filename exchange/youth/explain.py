"""The youth rules' refusals in plain words, in the reader's language."""

from __future__ import annotations

from datetime import time

from flask_babel import format_decimal, format_time

from ..i18n import _, ngettext
from .rules import Refusal, Rule


def hours_text(minutes: int) -> str:
    """Minutes as hours in words: "2 Stunden", "1,5 Stunden", "1 Stunde"."""
    if minutes % 60 == 0:
        return ngettext("%(num)s hour", "%(num)s hours", minutes // 60)
    return _("%(hours)s hours", hours=format_decimal(round(minutes / 60, 2)))


def clock_text(value: time) -> str:
    """A time of day as people read it here ("14:00")."""
    return format_time(value, "HH:mm")


def _who(refusal: Refusal) -> str:
    return _("under-15s and pupils") if refusal.for_children else _("young people under 18")


def describe(refusal: Refusal) -> str:
    """One sentence naming the rule ("Jobs for under-15s ... may last at most 2 hours a day.")."""
    p = refusal.params
    rule = refusal.rule
    if rule is Rule.TOO_YOUNG:
        return _("Children under %(age)s may not take on jobs.", age=p["age"])
    if rule is Rule.AGE_BAND:
        return _(
            "This Taschengeldbörse is for young people from %(min)s to %(max)s years.",
            min=p["min"],
            max=p["max"],
        )
    if rule is Rule.CONSENT:
        return _("The town hall has not yet recorded the consent form signed by a parent.")
    if rule is Rule.CATEGORY:
        return _("Young people may not do this kind of work here (only light work).")
    if rule is Rule.NEEDS_TIME:
        return _("A young person can only be chosen for an agreed date, start time and duration.")
    if rule is Rule.SUNDAY:
        return _("Young people may not work on Sundays.")
    if rule is Rule.HOLIDAY:
        if p.get("name"):
            return _("Young people may not work on public holidays (%(name)s).", name=p["name"])
        return _("Young people may not work on public holidays.")
    if rule is Rule.SCHOOL_TIME:
        return _(
            "On school days, under-15s and pupils may start work at %(time)s at the earliest.",
            time=clock_text(p["time"]),
        )
    if rule is Rule.TOO_EARLY:
        return _(
            "Jobs for %(who)s may start at %(time)s at the earliest.",
            who=_who(refusal),
            time=clock_text(p["time"]),
        )
    if rule is Rule.TOO_LATE:
        return _(
            "Jobs for %(who)s must end by %(time)s.", who=_who(refusal), time=clock_text(p["time"])
        )
    if rule is Rule.DURATION:
        return _(
            "Jobs for %(who)s may last at most %(hours)s a day.",
            who=_who(refusal),
            hours=hours_text(p["minutes"]),
        )
    if rule is Rule.DAY_TOTAL:
        return _(
            "For %(who)s, at most %(hours)s of work a day are allowed; %(booked)s are already"
            " agreed on that day.",
            who=_who(refusal),
            hours=hours_text(p["minutes"]),
            booked=hours_text(p["booked"]),
        )
    if rule is Rule.WEEK_TOTAL:
        return _(
            "For %(who)s, at most %(hours)s of work a week are allowed here; %(booked)s are"
            " already agreed in that week.",
            who=_who(refusal),
            hours=hours_text(p["minutes"]),
            booked=hours_text(p["booked"]),
        )
    raise ValueError(rule)


def describe_all(refusals: list[Refusal]) -> list[str]:
    """Every refusal in words, without repeats."""
    seen: list[str] = []
    for refusal in refusals:
        text = describe(refusal)
        if text not in seen:
            seen.append(text)
    return seen


def minor_label(age: int | None = None) -> str:
    """How a minor is named: "Jugendliche/r" to outsiders, with the age to her conversation."""
    if age is None:
        return _("Young person")
    return _("Young person, %(age)s years", age=age)
