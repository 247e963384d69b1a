"""Funds (appropriations), calls for proposals, and organizations' applications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l

from app.books.outbox import emit
from app.db_unique import claim
from app.extensions import db
from app.funding.models import Application, ApplicationLine, Call, Fund
from app.funding.services import FundingError, end_of_day, oneline, required, today, who, yuan
from app.orgs.models import Organization
from app.tenancy.models import Tenant
from ledger.events import Appropriation


def create_fund(tenant: Tenant, officer, *, fiscal_year: int, name: str, source: str,
                amount_fen: int) -> Fund:
    """Appropriate a fund for a fiscal year (预算拨款) → ``Appropriation`` event."""
    name = required(name, _l("Please name the fund."), 120)
    source = required(source, _l("Please state where the money comes from."), 120)
    this_year = today().year
    if fiscal_year not in (this_year, this_year + 1):
        raise FundingError(_l("A fund is for this fiscal year or the next one."))
    if amount_fen <= 0:
        raise FundingError(_l("The amount must be greater than zero."))
    fund = Fund(tenant_id=tenant.id, fiscal_year=fiscal_year, name=name, source=source,
                amount_fen=amount_fen, created_by_id=officer.id)
    with claim({"uq_fund_tenant_id_fiscal_year_name": FundingError(
            _l("A fund with this name already exists for that year."))}):
        db.session.add(fund)
    event = emit(Appropriation, tenant=tenant, fund_id=fund.id, amount=yuan(amount_fen),
                 date=today(), narration=oneline(f"{fiscal_year} 年度拨款：{name}（{source}）", 500),
                 source=f"fund:{fund.id}", approver=who(officer))
    fund.appropriation_event_id = event.id
    db.session.flush()
    return fund


def publish_call(fund: Fund, officer, *, title: str, category: str, description: str,
                 ceiling_fen: int, deadline: date, consultation=None) -> Call:
    """Publish a call for one catalogue item with a budget ceiling and a deadline; it may
    cite the published residents' consultation (居民议事) that chose its priorities."""
    tenant = db.session.get(Tenant, fund.tenant_id)
    if consultation is not None and (consultation.tenant_id != fund.tenant_id
                                     or not consultation.published):
        raise FundingError(_l("Cite a consultation whose result is published."))
    title = required(title, _l("Please give the call a title."), 120)
    if category not in tenant.setting("service_categories"):
        raise FundingError(_l("Choose a service category from the catalogue."))
    if ceiling_fen <= 0:
        raise FundingError(_l("The amount must be greater than zero."))
    if ceiling_fen > fund.uncommitted_fen:
        raise FundingError(_l("The ceiling is above what the fund has left to commit."))
    if deadline < today():
        raise FundingError(_l("The deadline cannot be in the past."))
    call = Call(tenant_id=fund.tenant_id, fund_id=fund.id, title=title, category=category,
                description=(description or "").strip(), ceiling_fen=ceiling_fen,
                deadline_at=end_of_day(deadline), created_by_id=officer.id,
                consultation_id=consultation.id if consultation is not None else None)
    db.session.add(call)
    db.session.flush()
    return call



def budget_lines(tenant: Tenant) -> list[str]:
    return list(tenant.setting("budget_lines"))


def submit_application(call: Call, org: Organization, user, *, title: str, plan: str,
                       lines: Iterable[tuple[str, int]]) -> Application:
    """An organization applies with a project plan and a budget by line (total ≤ ceiling)."""
    if org.tenant_id != call.tenant_id:
        raise FundingError(_l("This item no longer exists."))
    if not org.is_verified:
        raise FundingError(_l("Only verified organizations can apply."))
    if not call.accepting:
        raise FundingError(_l("This call is no longer accepting applications."))
    check_small_grant(org, 0)
    title = required(title, _l("Please give the project a name."), 120)
    plan = required(plan, _l("Please describe the project plan."))
    tenant = db.session.get(Tenant, call.tenant_id)
    allowed = budget_lines(tenant)
    rows = [(name, fen) for name, fen in lines if name]
    if not rows:
        raise FundingError(_l("Add at least one budget line."))
    names = [name for name, _ in rows]
    if any(name not in allowed for name in names):
        raise FundingError(_l("Choose budget lines from the list."))
    if len(set(names)) != len(names):
        raise FundingError(_l("Each budget line may appear only once."))
    if any(fen <= 0 for _, fen in rows):
        raise FundingError(_l("The amount must be greater than zero."))
    total = sum(fen for _, fen in rows)
    if total > call.ceiling_fen:
        raise FundingError(_l("The budget total is above the call's ceiling."))
    check_small_grant(org, total)
    application = Application(
        tenant_id=call.tenant_id, org_id=org.id, call_id=call.id, title=title, plan=plan,
        total_fen=total, submitted_by_id=user.id,
        lines=[ApplicationLine(tenant_id=call.tenant_id, name=name, amount_fen=fen, position=i)
               for i, (name, fen) in enumerate(rows)])
    with claim({"uq_application_call_id_org_id": FundingError(
            _l("Your organization has already applied to this call."))}):
        db.session.add(application)
    return application


def check_small_grant(org: Organization, amount_fen: int) -> None:
    """A filed community group receives only small grants, through its sponsor, as the
    district's rules say (``app.grassroots.rules``)."""
    from app.grassroots.rules import grant_refusal

    if (refusal := grant_refusal(org, amount_fen)) is not None:
        raise FundingError(refusal)
