"""Public reputation: what an organization's public page says about its service, and the honour
list (光荣榜).

Every figure is read through the function the internal pages read — the service figures of the
bureau's organization page (``service_figures.live``), the stars of the volunteer's own page
(``star_level`` over ``totals_for_users``) — never counted a second way, so the public and the
internal pages cannot disagree. Evaluation grades are public once final, and only those given by
the bureau or a third party: a self-evaluation is the organization's own claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.orgs.models import Organization
from app.oversight import service_figures
from app.tenancy.models import Tenant

#: How many grades and how many awards per person the public pages show.
GRADES_SHOWN = 10
AWARDS_SHOWN = 5
#: The honour list is a page people scroll on a phone, not a register.
HONOURS_SHOWN = 300


@dataclass
class OrgReputation:
    org: Organization
    service: service_figures.Service
    grades: list = field(default_factory=list)

    @staticmethod
    def tier_label(tier: str) -> str:
        from app.evaluation.labels import TIER

        return str(TIER.get(tier, tier))

    @staticmethod
    def mode_label(mode: str) -> str:
        from app.evaluation.forms import MODE_LABELS

        return str(MODE_LABELS.get(mode, mode))


@dataclass
class Honour:
    """One person on the honour list: the name they chose to show, stars, latest awards."""

    user_id: int
    name: str
    stars: int
    awards: list = field(default_factory=list)
    award_count: int = 0


def published_grades(org: Organization) -> list:
    """The organization's final evaluations by the bureau or a third party, newest first."""
    from app.evaluation.models import EvalStatus, Evaluation, Mode

    return list(db.session.scalars(
        select(Evaluation).where(Evaluation.tenant_id == org.tenant_id,
                                 Evaluation.org_id == org.id,
                                 Evaluation.status == EvalStatus.FINAL,
                                 Evaluation.mode != Mode.SELF.value)
        .order_by(Evaluation.finalized_at.desc(), Evaluation.id.desc()).limit(GRADES_SHOWN)))


def for_org(org: Organization) -> OrgReputation:
    """Verified hours, people served, average rating (the service figures the bureau sees for
    the organization, all time) and its published grades."""
    return OrgReputation(org, service_figures.live(org.tenant_id, org.id), published_grades(org))


def honour_list(tenant: Tenant) -> list[Honour]:
    """Volunteers of the district who chose to be on the list and have a star or an award,
    most stars first, then most awards. Names masked unless the person chose the full name."""
    from app.service.hours import star_level
    from app.service.models import AwardRecord
    from app.service.standing import totals_for_users
    from app.volunteers.models import VolunteerProfile

    profiles = list(db.session.scalars(
        select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.honour_listed.is_(True),
               User.active.is_(True), User.closed_at.is_(None))))
    ids = [p.user_id for p in profiles]
    minutes = totals_for_users(tenant.id, ids)
    thresholds = list(tenant.setting("star_thresholds"))
    awards: dict[int, list] = {}
    if ids:
        for award in db.session.scalars(
                select(AwardRecord).where(AwardRecord.tenant_id == tenant.id,
                                          AwardRecord.user_id.in_(ids))
                .order_by(AwardRecord.awarded_on.desc(), AwardRecord.id.desc())):
            awards.setdefault(award.user_id, []).append(award)
    rows = [Honour(p.user_id, p.honour_name, star_level(minutes.get(p.user_id, 0), thresholds),
                   awards.get(p.user_id, [])) for p in profiles]
    rows = [r for r in rows if r.stars or r.awards]
    rows.sort(key=lambda r: (-r.stars, -len(r.awards), r.name, r.user_id))
    for r in rows:
        r.award_count, r.awards = len(r.awards), r.awards[:AWARDS_SHOWN]
    return rows[:HONOURS_SHOWN]
