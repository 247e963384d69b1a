"""The approval ladder (审批阶梯): for each tier of spending amounts, the steps an expenditure
must pass before it is final. The tenant's rule ``approval_steps`` lists them per tier
(``approval_tiers_fen`` draws the tiers); an expenditure keeps the steps of the day it was
recorded, so a later change of the rule never reaches back.

Steps: ``org`` the organization's approval; ``bureau`` a bureau officer's; ``assembly`` a
recorded residents' assembly decision (居民会议决议); ``procurement`` three quotes or a tender
on file (询价/招标); ``leader`` a second bureau officer's (a leader's) approval.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ORG, BUREAU, ASSEMBLY, PROCUREMENT, LEADER = "org", "bureau", "assembly", "procurement", "leader"
#: Every step, in the order the page lists them.
STEPS = {
    ORG: _l("Organization's approval"), BUREAU: _l("Bureau's approval"),
    ASSEMBLY: _l("Residents' assembly decision"),
    PROCUREMENT: _l("Procurement record (three quotes or a tender)"),
    LEADER: _l("Second bureau officer's approval"),
}
#: How many files a procurement record needs, by method.
QUOTES, TENDER = "quotes", "tender"
METHODS = {QUOTES: _l("Three quotes"), TENDER: _l("Tender")}
FILES_NEEDED = {QUOTES: 3, TENDER: 1}


def steps_for(tenant, tier: int) -> tuple[str, ...]:
    """The steps of ``tier`` (0 = below the first bound) under the rule in force today; a
    ladder shorter than the tiers repeats its last rung."""
    ladder = tenant.setting("approval_steps") or [[ORG]]
    rung = ladder[min(tier, len(ladder) - 1)]
    return tuple(step for step in STEPS if step in rung)


def done(expenditure) -> dict[str, bool]:
    """For each step of the expenditure's tier, whether it is done."""
    from app.extensions import db
    from app.funding.models_steps import AssemblyDecision, ProcurementRecord

    found = {
        ORG: lambda: expenditure.org_approved_by_id is not None,
        BUREAU: lambda: expenditure.bureau_approved_by_id is not None,
        LEADER: lambda: expenditure.leader_approved_by_id is not None,
        ASSEMBLY: lambda: db.session.query(AssemblyDecision.id).filter_by(
            expenditure_id=expenditure.id).first() is not None,
        PROCUREMENT: lambda: db.session.query(ProcurementRecord.id).filter_by(
            expenditure_id=expenditure.id).first() is not None,
    }
    return {step: found[step]() for step in expenditure.step_list}


def missing(expenditure) -> list[str]:
    return [step for step, ok in done(expenditure).items() if not ok]
