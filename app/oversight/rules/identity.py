"""Identity rules: one person behind several accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.oversight.models import Severity
from app.oversight.rules import Hit, ScanContext, anomaly_rule
from app.volunteers.models import VolunteerProfile


@anomaly_rule(
    "identity.shared_id_number",
    title=_l("One ID number behind two accounts"),
    message=_l("This volunteer's ID number is also registered by %(accounts)s other account(s)."),
    severity=Severity.HIGH, tables=("volunteer_profile",))
def shared_id_number(ctx: ScanContext):
    """A volunteer record whose ID number another account registered too (here or in
    another district; the other district's details are never shown)."""
    mine, other = VolunteerProfile, aliased(VolunteerProfile)
    stmt = (select(mine.id, mine.user_id, func.count(func.distinct(other.user_id)))
            .join(other, (other.id_number == mine.id_number) & (other.user_id != mine.user_id))
            .where(mine.tenant_id == ctx.tenant_id)
            .group_by(mine.id, mine.user_id)
            .execution_options(all_tenants=True))
    for profile_id, user_id, accounts in db.session.execute(stmt):
        yield Hit(f"user:{user_id}", None, [{"type": "volunteer_profile", "id": profile_id}],
                  {"accounts": accounts})
