"""The youth rules where a minor answers or is chosen (issue 11 A.4, A.6). Never commits.

"The helper of a conversation" is the responder of a request and the author of an offer; the
job is the posting's date, start and duration, or the ones agreed in the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select, update

from ..accounts.models import User
from ..errors import ExchangeError
from ..extensions import db
from ..i18n import _
from ..postings.models import Posting
from ..postings.vocab import Direction, Status
from ..timeutil import utcnow
from ..youth import explain, rules
from ..youth.queries import helper_for, policy_for
from .models import Conversation

# Postings whose chosen helper has agreed to work (counted for the daily and weekly caps).
BOOKED_STATUSES = (Status.ASSIGNED, Status.DONE)


def today() -> date:
    """The day the rules count from (the frozen clock in tests and the demo)."""
    return utcnow().date()


def job_of(posting: Posting, conversation: Conversation | None = None) -> rules.Job:
    """The job as agreed in conversation, else as the posting says."""
    agreed = conversation if conversation is not None else None
    return rules.Job(
        kind=posting.kind,
        category=posting.category,
        on_date=(agreed.agreed_on if agreed else None) or posting.on_date,
        start=(agreed.agreed_start if agreed else None) or posting.start_time,
        minutes=(agreed.agreed_minutes if agreed else None) or posting.duration_minutes,
    )


def helper_of(posting: Posting, conversation: Conversation | None) -> User | None:
    """Who would do the work: a request's responder, an offer's author."""
    if posting.direction == Direction.OFFER:
        return posting.author
    return conversation.responder if conversation is not None else None


def is_minor(user: User | None, day: date | None = None) -> bool:
    """Under 18 on day (today when not given); an unknown birth date counts as adult."""
    if user is None or user.birth_date is None:
        return False
    age = user.age_on(day or today())
    return age is not None and age < rules.ADULT_AGE


def booked_minutes(
    user: User, day: date, exclude_conversation_id: int | None = None
) -> rules.Booked:
    """Minutes user already agreed to work on day and in its calendar week, as the helper.

    Every conversation of her Kommune in which she is the chosen helper (the responder of a
    request, or the author of an offer) of a Taschengeld job that is assigned or done, at the
    agreed date and length or the posting's own. One query.
    """
    monday, sunday = rules.week_of(day)
    on = func.coalesce(Conversation.agreed_on, Posting.on_date)
    minutes = func.coalesce(Conversation.agreed_minutes, Posting.duration_minutes, 0)
    is_helper = or_(
        and_(Posting.direction == Direction.REQUEST, Conversation.responder_id == user.id),
        and_(Posting.direction == Direction.OFFER, Posting.author_id == user.id),
    )
    query = (
        select(
            func.coalesce(func.sum(case((on == day, minutes), else_=0)), 0),
            func.coalesce(func.sum(minutes), 0),
        )
        .select_from(Conversation)
        .join(Posting, Posting.id == Conversation.posting_id)
        .where(
            Conversation.municipality_id == user.municipality_id,
            Posting.municipality_id == user.municipality_id,
            Conversation.is_assigned.is_(True),
            Posting.status.in_([str(s) for s in BOOKED_STATUSES]),
            Posting.kind == rules.TASCHENGELD,
            is_helper,
            on.between(monday, sunday),
        )
    )
    if exclude_conversation_id is not None:
        query = query.where(Conversation.id != exclude_conversation_id)
    day_total, week_total = db.session.execute(query).one()
    return rules.Booked(day_minutes=int(day_total or 0), week_minutes=int(week_total or 0))


def _refuse(refusals: list[rules.Refusal]) -> None:
    if refusals:
        raise ExchangeError(" ".join(describe_for_author(refusals)))


def describe_for_author(refusals: list[rules.Refusal]) -> list[str]:
    """The refusals in words, without the hours already agreed in other jobs (her privacy)."""
    out: list[str] = []
    for refusal in refusals:
        if refusal.rule is rules.Rule.DAY_TOTAL:
            text = _(
                "For %(who)s, at most %(hours)s of work a day are allowed; together with the"
                " jobs already agreed on that day this one would be too much.",
                who=_who(refusal),
                hours=explain.hours_text(refusal.params["minutes"]),
            )
        elif refusal.rule is rules.Rule.WEEK_TOTAL:
            text = _(
                "For %(who)s, at most %(hours)s of work a week are allowed here; together with"
                " the jobs already agreed in that week this one would be too much.",
                who=_who(refusal),
                hours=explain.hours_text(refusal.params["minutes"]),
            )
        else:
            text = explain.describe(refusal)
        if text not in out:
            out.append(text)
    return out


def _who(refusal: rules.Refusal) -> str:
    # The same words as exchange.youth.explain.
    return _("under-15s and pupils") if refusal.for_children else _("young people under 18")


def check_answer(posting: Posting, responder: User) -> None:
    """Refuse an answer that would make a minor the helper of a job she may not do."""
    helper = responder if posting.direction == Direction.REQUEST else posting.author
    job = job_of(posting)
    if not is_minor(helper, job.on_date):
        return
    refusals = rules.check(
        policy_for(posting.municipality), helper_for(helper), job, today=today(), to_choose=False
    )
    _refuse(refusals)


def lock_user(user: User) -> None:
    """Serialise choices of the same young helper until this transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE on her row; a second chooser waits there, then counts
    what the first committed. SQLite has no row locks and reads outside a transaction, so a
    no-op write to her row takes the database's write lock instead (the other chooser waits
    for it in the same place, before counting).
    """
    db.session.flush()
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.connection().execute(update(User).where(User.id == user.id).values(id=User.id))
    else:
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update()).all()


def check_choice(posting: Posting, conversation: Conversation) -> None:
    """Refuse choosing a minor for a job she may not do, or beyond her daily or weekly hours.

    The minor's row is locked first, so that two authors choosing her at once count one after
    the other; the hours already agreed exclude this conversation.
    """
    helper = helper_of(posting, conversation)
    job = job_of(posting, conversation)
    if not is_minor(helper, job.on_date):
        return
    lock_user(helper)
    booked = (
        booked_minutes(helper, job.on_date, conversation.id)
        if job.on_date is not None
        else rules.Booked()
    )
    refusals = rules.check(
        policy_for(posting.municipality),
        helper_for(helper),
        job,
        booked,
        today=today(),
        to_choose=True,
    )
    _refuse(refusals)


@dataclass(frozen=True)
class RulesBox:
    """What the page says about a minor helper and this job: the label, limits and the fit."""

    label: str
    limits: list[str]
    fits: bool
    reasons: list[str]
    needs_time: bool
    providers_url: str


def _limits_text(policy: rules.Policy, limits: rules.Limits) -> list[str]:
    out = [
        _("At most %(hours)s a day.", hours=explain.hours_text(limits.daily_minutes)),
        _("At most %(hours)s a week.", hours=explain.hours_text(limits.weekly_minutes)),
        _(
            "Only between %(start)s and %(end)s.",
            start=explain.clock_text(limits.earliest),
            end=explain.clock_text(limits.latest),
        ),
        _("Not on Sundays or public holidays."),
    ]
    if limits.for_children:
        out.append(
            _(
                "On school days not before %(time)s.",
                time=explain.clock_text(policy.school_day_start),
            )
        )
        out.append(_("Only light work, with a parent's consent."))
    return out


def rules_box(posting: Posting, conversation: Conversation, policy=None) -> RulesBox | None:
    """The rules box for a conversation whose helper is a minor (None when she is not)."""
    helper = helper_of(posting, conversation)
    job = job_of(posting, conversation)
    if not is_minor(helper, job.on_date):
        return None
    day = job.on_date or today()
    facts = helper_for(helper)
    policy = policy or policy_for(posting.municipality)
    age = facts.age_on(day)
    limits = rules.effective_limits(policy, facts.counts_as_child_on(day))
    booked = (
        booked_minutes(helper, job.on_date, conversation.id)
        if job.on_date is not None
        else rules.Booked()
    )
    refusals = rules.check(policy, facts, job, booked, today=today(), to_choose=True)
    needs_time = any(r.rule is rules.Rule.NEEDS_TIME for r in refusals)
    shown = [r for r in refusals if r.rule is not rules.Rule.NEEDS_TIME]
    return RulesBox(
        label=explain.minor_label(age),
        limits=_limits_text(policy, limits) if posting.kind == rules.TASCHENGELD else [],
        fits=not shown,
        reasons=describe_for_author(shown),
        needs_time=needs_time,
        # Built by hand: the youth rules pages may be merged after this.
        providers_url=f"/k/{posting.municipality.slug}/taschengeld/regeln/auftraggeber",
    )


def set_agreed_time(
    conversation: Conversation, actor: User, on_date: date, start, minutes: int
) -> None:
    """The date, start and length the posting's author agreed with the (minor) helper."""
    posting = conversation.posting
    if posting is None or posting.author_id != actor.id:
        raise ExchangeError(_("Only the author of the posting can agree a time."))
    if minutes <= 0:
        raise ExchangeError(_("Enter how long the job takes."), "hours")
    conversation.agreed_on = on_date
    conversation.agreed_start = start
    conversation.agreed_minutes = minutes
    db.session.flush()
