"""An organization's sections: for its admins and coordinators, today's shifts, attendance to
complete, hours to approve, records coming due (10 working days), complaints to answer, the
coming week's shifts and, for admins, expenditures to approve; for its bookkeeper, their
expenditures on the way and point redemptions to settle."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.funding import queues as money
from app.funding.inbox import expenditure_label
from app.funding.models_spending import Expenditure, ExpenditureStatus
from app.navigation import path_for
from app.orgs.models import Organization
from app.service import feedback, queues
from app.service.permissions import COORDINATING
from app.templating import SHANGHAI, excerpt
from app.tenancy.models import Tenant
from app.workbench.services import SHOWN, Item, Section, Urgency, day, when

#: Records this close to their deadline (working days) are marked urgent.
DUE_SOON = 2
#: The days after today whose shifts the coordinator sees coming.
COMING_DAYS = 7


def _hat(names: dict[int, str], org_ids: set[int]) -> tuple[str, int]:
    """The organization's name (one organization) or "my organizations", and an org id for
    pages that need one."""
    first = min(org_ids, key=lambda i: (names.get(i, ""), i))
    return (names.get(first, "") if len(org_ids) == 1 else _("My organizations")), first


def sections(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    names = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant.id,
        Organization.id.in_(user.org_ids(tenant.id)))).all())
    found: list[Section] = []
    coordinating = user.org_ids(tenant.id, *COORDINATING)
    if coordinating:
        found += coordinator(user, tenant, now, coordinating, _hat(names, coordinating))
    admin_of = user.org_ids(tenant.id, Role.ORG_ADMIN)
    if admin_of:
        found.append(_expenditures(user, tenant, admin_of, _hat(names, admin_of)))
    books_of = user.org_ids(tenant.id, Role.ORG_BOOKKEEPER)
    if books_of:
        found += bookkeeper(user, tenant, now, books_of, _hat(names, books_of))
    return found


def coordinator(user: User, tenant: Tenant, now: datetime, org_ids: set[int],
                hat_and_first: tuple[str, int]) -> list[Section]:
    hat, first = hat_and_first
    slug = tenant.slug

    def shift_link(shift_id: int) -> str:
        return path_for("service.shift_page", tenant=slug, shift_id=shift_id)

    start = datetime.combine(now.astimezone(SHANGHAI).date(), time.min, tzinfo=SHANGHAI)
    count, rows = queues.shifts_on(tenant.id, org_ids, start, start + timedelta(days=1), SHOWN)
    today = Section(
        "org.today", _("Today's shifts"), hat, Urgency.PLANNED, count,
        [Item(name, shift_link(shift.id), when=when(shift.starts_at, now),
              note=_("%(place)s · %(n)s of %(capacity)s signed up", place=shift.place,
                     n=shift.confirmed_count, capacity=shift.capacity),
              action=_("Attendance")) for shift, name in rows],
        more=path_for("service.staff_home", tenant=slug), more_label=_("Attendance and hours"),
        empty=_("No shift today."))
    count, rows = queues.shifts_on(tenant.id, org_ids, start + timedelta(days=1),
                                   start + timedelta(days=COMING_DAYS + 1), SHOWN)
    coming = Section(
        "org.coming", _("Shifts in the next %(n)s days", n=COMING_DAYS), hat, Urgency.SUGGESTED,
        count,
        [Item(name, shift_link(shift.id), when=when(shift.starts_at, now),
              note=_("%(place)s · %(n)s of %(capacity)s signed up", place=shift.place,
                     n=shift.confirmed_count, capacity=shift.capacity)) for shift, name in rows],
        more=path_for("service.staff_home", tenant=slug), more_label=_("Attendance and hours"))
    count, rows = queues.still_checked_in(tenant.id, org_ids, now, SHOWN)
    checked_in = Section(
        "org.checked_in", _("Volunteers not checked out"), hat, Urgency.WAITING, count,
        [Item(_("%(volunteer)s: %(activity)s", volunteer=name, activity=record.activity_name),
              shift_link(record.shift_id), when=day(record.checked_in_at or now),
              action=_("Check out")) for record, name in rows])
    count, rows = queues.requests_for(tenant.id, user, org_ids=org_ids, limit=SHOWN)
    requests = Section(
        "org.requests", _("Hours to approve (additions and corrections)"), hat, Urgency.WAITING,
        count,
        [Item(_("%(volunteer)s: %(activity)s", volunteer=name, activity=activity),
              shift_link(request.shift_id),
              note=_("Correction") if request.kind == "correction" else _("Hours added by hand"),
              action=_("Deal with it")) for request, name, activity in rows],
        more=path_for("service.org_requests", tenant=slug, org_id=first),
        more_label=_("All requests"))
    working_days = tenant.setting("record_deadline_working_days")
    due = queues.records_due(tenant.id, org_ids, now, working_days)
    deadlines = Section(
        "org.deadlines", _("Records due (%(days)s working days)", days=working_days), hat,
        Urgency.DEADLINE if any(left <= DUE_SOON for *_, left in due) else Urgency.WAITING,
        len(due),
        [Item(name, shift_link(shift.id), when=day(shift.starts_at),
              note=_("%(n)s working days left, due %(date)s", n=left, date=deadline.isoformat())
              if left else _("Due today"), urgent=left <= DUE_SOON)
         for shift, name, deadline, left in due[:SHOWN]])
    count, rows = feedback.unanswered(tenant.id, org_ids, SHOWN)
    complaints = Section(
        "org.complaints", _("Complaints to answer"), hat, Urgency.WAITING, count,
        [Item(name, path_for("complaints.show", tenant=slug, complaint_id=complaint.id),
              when=_("Due by %(day)s", day=complaint.due_on.isoformat()),
              note=excerpt(complaint.body), action=_("Answer"),
              urgent=complaint.due_on < now.astimezone(SHANGHAI).date())
         for complaint, name in rows],
        more=path_for("complaints.queue", tenant=slug), more_label=_("Complaints to handle"))
    return [today, checked_in, requests, deadlines, complaints] + ([coming] if coming.count else [])


def _expenditures(user: User, tenant: Tenant, org_ids: set[int],
                  hat_and_first: tuple[str, int]) -> Section:
    hat = hat_and_first[0]
    count, rows = money.for_org_approval(tenant.id, user.id, org_ids, SHOWN)
    return Section(
        "org.expenditures", _("Expenditures to approve"), hat, Urgency.WAITING, count,
        [Item(expenditure_label(e.payee, e.amount_fen, e.description),
              path_for("funding.expenditure", tenant=tenant.slug, expenditure_id=e.id),
              when=e.spent_on.isoformat(), action=_("Review and approve")) for e, _org in rows])


def _stage(e: Expenditure) -> str:
    """Where one of the bookkeeper's expenditures stands, in words."""
    if e.status == ExpenditureStatus.REJECTED:
        return _("Returned: %(reason)s", reason=excerpt(e.rejection_reason, 30))
    if e.status == ExpenditureStatus.WINDOW:
        return _("Open to the overseers")
    if e.status == ExpenditureStatus.OBJECTED:
        return _("An overseer objected")
    if e.org_approved_by_id is None:
        return _("Awaiting the organization's approval")
    return _("Awaiting the bureau's approval")


def bookkeeper(user: User, tenant: Tenant, now: datetime, org_ids: set[int],
               hat_and_first: tuple[str, int]) -> list[Section]:
    hat, first = hat_and_first
    slug = tenant.slug
    count, rows = money.recorded_by(tenant.id, user.id, now - timedelta(days=30), SHOWN)
    mine = Section(
        "books.mine", _("Expenditures I recorded, on their way"), hat,
        Urgency.WAITING if any(e.status == ExpenditureStatus.REJECTED for e, _org in rows)
        else Urgency.PLANNED,
        count,
        [Item(expenditure_label(e.payee, e.amount_fen, e.description),
              path_for("funding.expenditure", tenant=slug, expenditure_id=e.id),
              note=_stage(e), urgent=e.status == ExpenditureStatus.REJECTED) for e, _org in rows],
        more=path_for("funding.org_home", tenant=slug, org_id=first),
        more_label=_("Contracts and spending"),
        empty=_("Nothing waiting. Record an expenditure from the contract's page."))
    count, rows = money.to_settle(tenant.id, org_ids, SHOWN)
    settle = Section(
        "books.settle", _("Point redemptions to settle with merchants"), hat, Urgency.WAITING,
        count,
        [Item(_("%(points)s points at %(merchant)s", points=r.points, merchant=merchant),
              path_for("funding.redemption", tenant=slug, redemption_id=r.id),
              when=day(r.consumed_at) if r.consumed_at else "", action=_("Settle"))
         for r, merchant in rows])
    return [mine, settle]
