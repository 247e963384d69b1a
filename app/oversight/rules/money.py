"""Money rules: split purchases, spending without receipts, payments ahead of their
milestone, tranches paid before their planned date or without an evidence file, points redeemed beyond points earned, and bookkeepers paying themselves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.oversight.models import Severity
from app.oversight.rules import Hit, ScanContext, anomaly_rule
from app.oversight.sqlfn import days_before, local_date, minutes_between

CHARGED = ("pending", "window", "objected", "final")


def _spending():
    from app.funding.models_spending import Expenditure, Receipt

    return Expenditure, Receipt


def _normalized(column):
    return func.lower(func.replace(func.trim(column), " ", ""))


@anomaly_rule(
    "money.split_purchase",
    title=_l("One purchase split under the approval threshold"),
    message=_l("%(count)s payments to “%(payee)s” within %(days)s days, each below %(threshold)s, add up to %(total)s."),
    severity=Severity.HIGH, tables=("expenditure",))
def split_purchase(ctx: ScanContext):
    """Payments of one organization to one payee, each under the first approval tier, that
    within the window add up to the tier or more. Overlapping windows form one finding."""
    from app.money import format_fen

    spend, _ = _spending()
    threshold = min(ctx.setting("approval_tiers_fen"))
    days = int(ctx.setting("anomaly_split_window_days"))
    later, earlier = aliased(spend), aliased(spend)
    window = and_(earlier.org_id == later.org_id,
                  _normalized(earlier.payee) == _normalized(later.payee),
                  earlier.spent_on <= later.spent_on,
                  earlier.spent_on >= days_before(later.spent_on, days),
                  earlier.tenant_id == ctx.tenant_id, earlier.status.in_(CHARGED),
                  earlier.amount_fen < threshold, earlier.corrects_id.is_(None))
    small = and_(later.tenant_id == ctx.tenant_id, later.status.in_(CHARGED),
                 later.amount_fen < threshold, later.corrects_id.is_(None))
    # First only the windows that add up (one row each), then their members.
    over = (select(later.id).join(earlier, window).where(small).group_by(later.id)
            .having(and_(func.count(earlier.id) >= 2, func.sum(earlier.amount_fen) >= threshold)))
    stmt = (select(later.id, later.org_id, later.payee, later.spent_on, earlier.id, earlier.amount_fen)
            .join(earlier, window).where(later.id.in_(over))
            .order_by(later.org_id, later.spent_on, later.id))
    windows: dict[int, dict] = {}
    for later_id, org_id, payee, _, earlier_id, amount in db.session.execute(stmt):
        w = windows.setdefault(later_id, {"org": org_id, "payee": payee, "items": {}})
        w["items"][earlier_id] = amount
    # Keep windows over the threshold, then merge windows that share a payment.
    clusters: list[dict] = []
    for w in windows.values():
        if len(w["items"]) < 2 or sum(w["items"].values()) < threshold:
            continue
        for c in clusters:
            if c["org"] == w["org"] and c["items"].keys() & w["items"].keys():
                c["items"].update(w["items"])
                break
        else:
            clusters.append({**w, "items": dict(w["items"])})
    for c in clusters:
        ids = sorted(c["items"])
        yield Hit(f"expenditures:{ids[0]}", c["org"],
                  [{"type": "expenditure", "id": i} for i in ids],
                  {"count": len(ids), "payee": c["payee"], "days": days,
                   "threshold": format_fen(threshold), "total": format_fen(sum(c["items"].values()))})


@anomaly_rule(
    "money.no_receipt",
    title=_l("Expenditure without a receipt"),
    message=_l("Expenditure #%(expenditure)s of %(amount)s has no receipt attached."),
    severity=Severity.HIGH, tables=("expenditure", "receipt"))
def no_receipt(ctx: ScanContext):
    from app.money import format_fen

    spend, receipt = _spending()
    stmt = (select(spend.id, spend.org_id, spend.amount_fen)
            .where(spend.tenant_id == ctx.tenant_id, spend.status.in_(CHARGED),
                   ~exists().where(receipt.expenditure_id == spend.id)))
    for eid, org_id, amount in db.session.execute(stmt):
        yield Hit(f"expenditure:{eid}", org_id, [{"type": "expenditure", "id": eid}],
                  {"expenditure": eid, "amount": format_fen(amount)})


@anomaly_rule(
    "money.disbursed_before_milestone",
    title=_l("Paid before the milestone was approved"),
    message=_l("Disbursement #%(disbursement)s (tranche %(seq)s) was paid on %(paid_on)s; its milestone was approved %(approved)s."),
    severity=Severity.HIGH, tables=("disbursement", "tranche"))
def disbursed_before_milestone(ctx: ScanContext):
    from app.funding.models import Disbursement, Tranche

    approved_day = local_date(Tranche.approved_at)
    stmt = (select(Disbursement.id, Disbursement.org_id, Disbursement.paid_on, Tranche.seq,
                   Tranche.id, approved_day)
            .join(Tranche, Tranche.id == Disbursement.tranche_id)
            .where(Disbursement.tenant_id == ctx.tenant_id, Disbursement.status == "paid",
                   or_(Tranche.approved_at.is_(None), Disbursement.paid_on < approved_day,
                       minutes_between(Disbursement.created_at, Tranche.approved_at) > 1)))
    for did, org_id, paid_on, seq, tranche_id, approved in db.session.execute(stmt):
        yield Hit(f"disbursement:{did}", org_id,
                  [{"type": "disbursement", "id": did}, {"type": "tranche", "id": tranche_id}],
                  {"disbursement": did, "seq": seq, "paid_on": str(paid_on),
                   "approved": str(approved) if approved else "—"})


def _paid_tranches(ctx: ScanContext, *where):
    """Payments in force with their tranche and contract, narrowed by ``where``."""
    from app.funding.models import Contract, Disbursement, Tranche

    stmt = (select(Disbursement.id, Disbursement.org_id, Disbursement.paid_on,
                   Disbursement.amount_fen, Tranche.id, Tranche.seq, Tranche.planned_on,
                   Tranche.milestone, Contract.number)
            .join(Tranche, Tranche.id == Disbursement.tranche_id)
            .join(Contract, Contract.id == Disbursement.contract_id)
            .where(Disbursement.tenant_id == ctx.tenant_id, Disbursement.status == "paid", *where))
    for did, org_id, paid_on, amount, tid, seq, planned_on, milestone, number in \
            db.session.execute(stmt):
        yield (did, org_id, tid, {"contract": number, "seq": seq, "milestone": milestone,
                                  "amount": amount, "paid_on": paid_on, "planned_on": planned_on})


def _tranche_hit(did: int, org_id: int, tid: int, row: dict, **more) -> Hit:
    from app.money import format_fen

    details = {**row, "amount": format_fen(row["amount"]), "paid_on": str(row["paid_on"]),
               "planned_on": str(row["planned_on"]), **more}
    return Hit(f"disbursement:{did}", org_id,
               [{"type": "disbursement", "id": did}, {"type": "tranche", "id": tid}], details)


@anomaly_rule(
    "money.paid_before_planned",
    title=_l("Tranche paid before its planned date"),
    message=_l("Tranche %(seq)s of contract %(contract)s (%(amount)s, milestone “%(milestone)s”) was paid on %(paid_on)s, %(days)s days before its planned date %(planned_on)s."),
    severity=Severity.HIGH, tables=("disbursement", "tranche", "contract"))
def paid_before_planned(ctx: ScanContext):
    """Money should arrive on time, not ahead of the work it pays for (财政部令第102号)."""
    from app.funding.models import Disbursement, Tranche

    for did, org_id, tid, row in _paid_tranches(ctx, Disbursement.paid_on < Tranche.planned_on):
        yield _tranche_hit(did, org_id, tid, row,
                           days=(row["planned_on"] - row["paid_on"]).days)


@anomaly_rule(
    "money.paid_without_evidence",
    title=_l("Tranche paid without an evidence file"),
    message=_l("Tranche %(seq)s of contract %(contract)s (%(amount)s, milestone “%(milestone)s”) was paid on %(paid_on)s with no file showing the milestone is met."),
    severity=Severity.HIGH, tables=("disbursement", "tranche", "contract", "tranche_evidence"))
def paid_without_evidence(ctx: ScanContext):
    from app.funding.models import Tranche, TrancheEvidence

    for did, org_id, tid, row in _paid_tranches(ctx, ~exists().where(
            TrancheEvidence.tranche_id == Tranche.id)):
        yield _tranche_hit(did, org_id, tid, row)


@anomaly_rule(
    "points.redeemed_beyond_earned",
    title=_l("Points redeemed beyond points earned"),
    message=_l("A volunteer redeemed %(redeemed)s points with this organization but earned only %(earned)s."),
    severity=Severity.HIGH, tables=("redemption", "points_entry"))
def redeemed_beyond_earned(ctx: ScanContext):
    """Per volunteer and organization: points held by redemptions above the points the
    wallet credited for that organization's service (accruals less reversals)."""
    from app.funding.models_spending import Redemption
    from app.service.models import PointsEntry

    earned = (select(PointsEntry.user_id.label("user_id"), PointsEntry.org_id.label("org_id"),
                     func.sum(PointsEntry.points).label("points"))
              .where(PointsEntry.tenant_id == ctx.tenant_id)
              .group_by(PointsEntry.user_id, PointsEntry.org_id).subquery())
    used = (select(Redemption.user_id.label("user_id"), Redemption.org_id.label("org_id"),
                   func.sum(Redemption.points).label("points"),
                   func.max(Redemption.id).label("last_id"))
            .where(Redemption.tenant_id == ctx.tenant_id,
                   Redemption.status.in_(("issued", "consumed", "settled")))
            .group_by(Redemption.user_id, Redemption.org_id).subquery())
    earned_points = func.coalesce(earned.c.points, 0)
    stmt = (select(used.c.user_id, used.c.org_id, used.c.points, earned_points, used.c.last_id)
            .outerjoin(earned, and_(earned.c.user_id == used.c.user_id,
                                    earned.c.org_id == used.c.org_id))
            .where(used.c.points > earned_points))
    for user_id, org_id, redeemed, got, last_id in db.session.execute(stmt):
        yield Hit(f"user:{user_id}:org:{org_id}", org_id,
                  [{"type": "redemption", "id": last_id}, {"type": "user", "id": user_id}],
                  {"redeemed": int(redeemed), "earned": int(got)})


@anomaly_rule(
    "money.self_payment",
    title=_l("Bookkeeper paying themselves or a relative"),
    message=_l("Expenditure #%(expenditure)s pays “%(payee)s”, who matches the person who recorded it (%(match)s)."),
    severity=Severity.HIGH, tables=("expenditure", "volunteer_profile"),
    value_labels={"match": {"name": _l("same name"), "number": _l("their mobile or ID number"),
                            "relative": _l("someone registered with their mobile or ID number")}})
def self_payment(ctx: ScanContext):
    """The payee is the recorder or approver: same name, or the payee text carries their
    mobile or ID number, or it names someone registered with the same mobile or ID number."""
    from app.auth.models import User
    from app.volunteers.models import VolunteerProfile

    spend, _ = _spending()
    payee = _normalized(spend.payee)
    people = []
    for column in (spend.recorded_by_id, spend.org_approved_by_id):
        person = aliased(User)
        own = aliased(VolunteerProfile)
        relative = aliased(VolunteerProfile)
        same_name = or_(payee == _normalized(person.name), payee == _normalized(own.real_name))
        carries = or_(spend.payee.contains(person.phone), spend.payee.contains(own.phone),
                      spend.payee.contains(own.id_number))
        kin = and_(relative.id.is_not(None))
        stmt = (select(spend.id, spend.org_id, spend.payee,
                       func.max(func.coalesce(relative.id, 0)), same_name, carries)
                .join(person, person.id == column)
                .outerjoin(own, and_(own.user_id == person.id, own.tenant_id == ctx.tenant_id))
                .outerjoin(relative, and_(relative.tenant_id == ctx.tenant_id,
                                          relative.user_id != person.id,
                                          _normalized(relative.real_name) == payee,
                                          or_(relative.phone == person.phone,
                                              relative.phone == own.phone,
                                              relative.id_number == own.id_number)))
                .where(spend.tenant_id == ctx.tenant_id, spend.status.in_(CHARGED),
                       or_(same_name, carries, kin))
                .group_by(spend.id, spend.org_id, spend.payee, same_name, carries))
        people.extend(db.session.execute(stmt).all())
    for eid, org_id, payee_text, relative_id, by_name, by_number in people:
        match = ("name" if by_name else "number" if by_number else "relative")
        evidence = [{"type": "expenditure", "id": eid}]
        if relative_id:
            evidence.append({"type": "volunteer_profile", "id": relative_id})
        yield Hit(f"expenditure:{eid}", org_id, evidence,
                  {"expenditure": eid, "payee": payee_text, "match": match})
