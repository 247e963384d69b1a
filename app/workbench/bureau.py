"""The bureau's sections (registrations to verify, payments and expenditures to approve,
late records, objections, notices ending, findings, tranches coming due), the auditor's
(the dashboard, new findings, books not yet verified) and the overseer's (open windows)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.auth.models import User
from app.books.services import last_verified, unverified_count
from app.funding import overseers
from app.funding import queues as money
from app.funding.inbox import expenditure_label
from app.money import format_fen
from app.navigation import path_for
from app.orgs.services import verification_queue
from app.oversight.rules import all_rules
from app.oversight.services import awaiting_review
from app.privacy import scrub
from app.service import queues
from app.templating import SHANGHAI, excerpt
from app.tenancy.models import Tenant
from app.workbench.services import SHOWN, Item, Section, Urgency, day, when

#: Notices ending within this many days are marked urgent.
NOTICE_SOON = timedelta(days=2)


def officer(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    hat, slug = _("Bureau"), tenant.slug
    pending = verification_queue(tenant)
    orgs = Section(
        "bureau.orgs", _("Organizations to verify"), hat, Urgency.WAITING, len(pending),
        [Item(org.name, path_for("orgs.review", tenant=slug, org_id=org.id),
              when=day(org.submitted_at) if org.submitted_at else "", action=_("Verify it"))
         for org in pending[:SHOWN]],
        more=path_for("orgs.queue", tenant=slug), more_label=_("Verify organizations"))
    return [orgs, _approvals(user, tenant), _late(user, tenant), _objections(tenant),
            _notices(tenant, now), findings(tenant), _tranches(tenant, now), overview(tenant)]


def _approvals(user: User, tenant: Tenant) -> Section:
    """Payments asked for by someone else, expenditures above the organization's tier, and
    expenditures an overseer objected to: all on the approvals page."""
    slug = tenant.slug
    paying, tranches = money.payments_requested(tenant.id, SHOWN, checker_id=user.id)
    waiting, expenditures = money.for_bureau_approval(tenant.id, SHOWN)
    held, objected = money.objected(tenant.id, SHOWN)
    items = [Item(_("Payment %(n)s of %(contract)s", n=t.seq, contract=title),
                  path_for("funding.contract", tenant=slug, contract_id=t.contract_id),
                  note=f"{org} · {format_fen(t.request_amount_fen or t.amount_fen)}",
                  action=_("Review and approve")) for t, title, org in tranches]
    items += [Item(expenditure_label(e.payee, e.amount_fen, e.description),
                   path_for("funding.expenditure", tenant=slug, expenditure_id=e.id), note=org,
                   action=_("Review and approve")) for e, org in expenditures]
    items += [Item(expenditure_label(e.payee, e.amount_fen, e.description),
                   path_for("funding.expenditure", tenant=slug, expenditure_id=e.id),
                   note=_("An overseer objected"), action=_("Deal with it"), urgent=True)
              for e, _org in objected]
    return Section("bureau.approvals", _("Payments and expenditures to approve"), _("Bureau"),
                   Urgency.WAITING, paying + waiting + held, items[:SHOWN],
                   more=path_for("funding.approvals", tenant=slug), more_label=_("Approvals"))


def _late(user: User, tenant: Tenant) -> Section:
    count, rows = queues.requests_for(tenant.id, user, late=True, limit=SHOWN)
    return Section(
        "bureau.late", _("Late records to approve"), _("Bureau"), Urgency.WAITING, count,
        [Item(_("%(volunteer)s: %(activity)s", volunteer=name, activity=activity),
              path_for("service.late_requests", tenant=tenant.slug), action=_("Deal with it"))
         for _request, name, activity in rows],
        more=path_for("service.late_requests", tenant=tenant.slug), more_label=_("Late records"))


def _objections(tenant: Tenant) -> Section:
    count, rows = money.objections_open(tenant.id, SHOWN)
    return Section(
        "bureau.objections", _("Objections to answer"), _("Bureau"), Urgency.WAITING, count,
        [Item(title, path_for("funding.award", tenant=tenant.slug, award_id=o.award_id),
              when=day(o.created_at), note=excerpt(o.text), action=_("Answer"))
         for o, title in rows])


def _notices(tenant: Tenant, now: datetime) -> Section:
    count, rows = money.notices_open(tenant.id, now, SHOWN)
    soon = [a for a, *_ in rows if a.notice_ends_at - now <= NOTICE_SOON]
    return Section(
        "bureau.notices", _("Public notices running"), _("Bureau"),
        Urgency.DEADLINE if soon else Urgency.PLANNED, count,
        [Item(f"{title} · {org}", path_for("funding.award", tenant=tenant.slug, award_id=a.id),
              note=_("Notice ends %(when)s", when=when(a.notice_ends_at, now)),
              urgent=a in soon) for a, title, org in rows],
        more=path_for("funding.notices", tenant=tenant.slug), more_label=_("Public notices"))


def findings(tenant: Tenant) -> Section:
    rules = all_rules()
    count, rows = awaiting_review(tenant, SHOWN)
    return Section(
        "oversight.findings", _("New findings to look into"), _("Oversight and audit"),
        Urgency.WAITING,
        count,
        [Item(str(rules[f.rule].title) if f.rule in rules else f.rule,
              path_for("oversight.finding", tenant=tenant.slug, finding_id=f.id),
              when=day(f.first_seen_at), note=org or "", urgent=f.severity == "high")
         for f, org in rows],
        more=path_for("oversight.findings", tenant=tenant.slug), more_label=_("Anomaly queue"))


def _tranches(tenant: Tenant, now: datetime) -> Section:
    today = now.astimezone(SHANGHAI).date()
    count, rows = money.tranches_due(tenant.id, today, SHOWN)
    late = any(t.planned_on < today for t, *_ in rows)
    return Section(
        "bureau.tranches", _("Payments coming due (next 14 days)"), _("Bureau"),
        Urgency.DEADLINE if late else Urgency.PLANNED, count,
        [Item(_("Payment %(n)s of %(contract)s", n=t.seq, contract=title),
              path_for("funding.contract", tenant=tenant.slug, contract_id=t.contract_id),
              when=t.planned_on.isoformat(), note=f"{org} · {format_fen(t.amount_fen)}",
              urgent=t.planned_on < today) for t, title, org in rows])


def overview(tenant: Tenant) -> Section:
    """Where the whole picture is: the oversight dashboard."""
    return Section(
        "oversight.dashboard", _("Oversight dashboard"), _("Oversight and audit"),
        Urgency.SUGGESTED,
        items=[Item(_("Money, hours and people served, by fund and organization"),
                    path_for("oversight.dashboard_page", tenant=tenant.slug),
                    action=_("Open it"))])


def auditor(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    slug = tenant.slug
    unverified = unverified_count(tenant.id)
    last = last_verified(tenant.id)
    if last is None:
        state = _("The books have not been verified yet.")
    elif not last.ok:
        state = _("The last verification (%(when)s) found %(n)s problems.",
                  when=when(last.checked_at, now), n=last.problems)
    else:
        state = _("Last verified %(when)s.", when=when(last.checked_at, now))
    books = Section(
        "audit.books", _("Verification of the books"), _("Oversight and audit"),
        Urgency.DEADLINE if last is not None and not last.ok else Urgency.SUGGESTED,
        figures=[(_("Transactions posted since the last verification"), str(unverified))],
        note=state, more=path_for("books.index", tenant=slug), more_label=_("Books"))
    return [findings(tenant), books, overview(tenant)]


def overseer(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    """Spending open to this overseer's review that they have neither signed off nor objected
    to (personal numbers typed into it masked)."""
    rows = overseers.queue(tenant.id, user.id, now).to_review
    return [Section(
        "overseer.windows", _("Expenditures open to your oversight"), _("Resident oversight"),
        Urgency.WAITING, len(rows),
        [Item(expenditure_label(scrub(e.payee), e.amount_fen, scrub(e.description)),
              path_for("funding.expenditure", tenant=tenant.slug, expenditure_id=e.id),
              note=_("%(org)s · open until %(when)s", org=e.org.name,
                     when=when(e.window_ends_at, now)),
              action=_("Look at it")) for e in rows[:SHOWN]],
        more=path_for("funding.oversight", tenant=tenant.slug), more_label=_("Oversight"),
        empty=_("No expenditure is open for objections now."))]
