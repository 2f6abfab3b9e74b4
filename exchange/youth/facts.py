"""Reads for the rules pages and the consent form: a Kommune's figures, a minor's consent state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..municipalities.models import Municipality
from ..municipalities.states import STATES
from . import rules
from .models import ParentalConsent
from .queries import policy_for, policy_row

# "mindestens 5 € pro Stunde" while the Kommune has set no figure of its own.
DEFAULT_PAY_CENTS = 500


@dataclass(frozen=True)
class RulesFacts:
    """What the rules pages and the consent form say about one Kommune's Taschengeldbörse."""

    policy: rules.Policy
    # The limits for under-15s and pupils, and for 15–17-year-olds who have left school.
    child: rules.Limits
    youth: rules.Limits
    recommended_pay_cents: int
    insurance_notice: str
    # The Bundesland's name (lazy, translated), or None while the Kommune has none set.
    land_name: object | None

    @property
    def categories(self) -> list[str]:
        """The category keys minors may do here, in a stable order."""
        return sorted(self.policy.categories)

    @property
    def youth_differs(self) -> bool:
        """Whether older young people who left school have wider limits than children."""
        return (self.child.earliest, self.child.latest, self.child.daily_minutes) != (
            self.youth.earliest,
            self.youth.latest,
            self.youth.daily_minutes,
        ) or self.child.weekly_minutes != self.youth.weekly_minutes


def rules_facts(municipality: Municipality) -> RulesFacts:
    """The Kommune's policy (defaults where none is set) with the law's ceilings applied."""
    policy = policy_for(municipality)
    row = policy_row(municipality)
    return RulesFacts(
        policy=policy,
        child=rules.effective_limits(policy, as_child=True),
        youth=rules.effective_limits(policy, as_child=False),
        recommended_pay_cents=(row.recommended_pay_cents if row else None) or DEFAULT_PAY_CENTS,
        insurance_notice=((row.insurance_notice if row else "") or "").strip(),
        land_name=STATES.get(municipality.state or ""),
    )


def is_minor(user: User, today: date) -> bool:
    """Under 18 today (unknown birth date: treated as an adult, like the rules do)."""
    return rules.Helper(user.birth_date).is_minor_on(today)


def latest_consent(user: User) -> ParentalConsent | None:
    """The newest consent record of user, valid or withdrawn, or None."""
    return db.session.scalars(
        select(ParentalConsent)
        .where(ParentalConsent.user_id == user.id)
        .order_by(
            ParentalConsent.withdrawn_on.is_not(None),
            ParentalConsent.signed_on.desc(),
            ParentalConsent.id.desc(),
        )
        .limit(1)
    ).first()
