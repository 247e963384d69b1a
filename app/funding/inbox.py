"""What the funding domain's inbox messages are about: expenditures waiting for an approval,
open to overseers or objected to, and awards whose notice drew an objection."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.funding import ladder
from app.funding.models import Application, Award, Objection
from app.funding.models_spending import Expenditure, ExpenditureStatus
from app.money import format_fen
from app.navigation import path_for
from app.notifications.subjects import Subject, names, subject
from app.templating import excerpt
from app.tenancy.models import Tenant


def expenditure_label(payee: str, amount_fen: int, description: str) -> str:
    return _("%(payee)s, %(amount)s: %(what)s", payee=payee, amount=format_fen(amount_fen),
             what=excerpt(description, 24))


def _expenditure_done(kind: str, e: Expenditure, who: dict[int, str]) -> str | None:
    if e.status == ExpenditureStatus.REJECTED:
        return _("Returned by %(name)s", name=who.get(e.rejected_by_id, "—"))
    if e.status == ExpenditureStatus.REVERSED:
        return _("Reversed")
    if kind == "expenditure.org_approval" and e.org_approved_by_id is not None:
        return _("Approved by %(name)s", name=who.get(e.org_approved_by_id, "—"))
    if kind == "expenditure.bureau_approval" and e.bureau_approved_by_id is not None:
        return _("Approved by %(name)s", name=who.get(e.bureau_approved_by_id, "—"))
    if kind == "expenditure.step_record" and not {
            ladder.ASSEMBLY, ladder.PROCUREMENT} & set(ladder.missing(e)):
        return _("On file")
    if kind == "expenditure.leader_approval" and e.leader_approved_by_id is not None:
        return _("Approved by %(name)s", name=who.get(e.leader_approved_by_id, "—"))
    if kind == "expenditure.window" and e.status != ExpenditureStatus.WINDOW:
        return _("The oversight window has ended")
    if kind == "expenditure.objection" and e.status != ExpenditureStatus.OBJECTED:
        return _("The bureau has decided")
    return None


@subject("expenditure.org_approval", "expenditure.bureau_approval", "expenditure.step_record",
         "expenditure.leader_approval", "expenditure.window", "expenditure.objection", summary={
             "expenditure.org_approval": _l("%(n)s expenditures await your approval"),
             "expenditure.bureau_approval": _l("%(n)s expenditures await the bureau's approval"),
             "expenditure.step_record": _l(
                 "%(n)s expenditures await an assembly decision or procurement record"),
             "expenditure.leader_approval": _l(
                 "%(n)s expenditures await a second bureau officer's approval"),
             "expenditure.window": _l("%(n)s expenditures are open for oversight"),
             "expenditure.objection": _l("Overseers objected to %(n)s expenditures")})
def _expenditures(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    rows = db.session.execute(select(Expenditure, Tenant.slug)
                              .join(Tenant, Tenant.id == Expenditure.tenant_id)
                              .where(Expenditure.id.in_(ids))).all()
    who = names((u for e, _slug in rows
                 for u in (e.org_approved_by_id, e.bureau_approved_by_id,
                           e.leader_approved_by_id, e.rejected_by_id)),
                viewer_id)
    return {e.id: Subject(expenditure_label(e.payee, e.amount_fen, e.description),
                          path_for("funding.expenditure", tenant=slug, expenditure_id=e.id),
                          _expenditure_done(kind, e, who)) for e, slug in rows}


@subject("award.objection",
         summary={"award.objection": _l("New objections to %(n)s funding notices")})
def _awards(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    awards = db.session.execute(
        select(Award.id, Application.title, Tenant.slug)
        .join(Application, Application.id == Award.application_id)
        .join(Tenant, Tenant.id == Award.tenant_id).where(Award.id.in_(ids))).all()
    waiting: dict[int, int] = {}
    answered: dict[int, tuple] = {}  # award → (answered at, by whom) of its latest answer
    for award_id, answer, at, by in db.session.execute(
            select(Objection.award_id, Objection.answer, Objection.answered_at,
                   Objection.answered_by_id).where(Objection.award_id.in_(ids))):
        if answer is None:
            waiting[award_id] = waiting.get(award_id, 0) + 1
        elif at is not None and (award_id not in answered or at > answered[award_id][0]):
            answered[award_id] = (at, by)
    who = names((by for _at, by in answered.values()), viewer_id)
    found = {}
    for ident, title, slug in awards:
        done = None
        if not waiting.get(ident):
            done = _("Answered by %(name)s", name=who.get(answered.get(ident, (0, None))[1], "—"))
        found[ident] = Subject(title, path_for("funding.award", tenant=slug, award_id=ident), done)
    return found
