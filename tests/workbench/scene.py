"""One tenant where every role has something to do, with known counts.

Built on the funding world (tenant, two organizations, every role's account) plus an area
tree, projects with shifts and slots around ``now`` (10:00 Beijing time today), bookings,
service records, hours requests, complaints, expenditures, a redemption, awards, findings.
Each expected count is written next to what makes it, so a test reads as the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from app.auth.models import Role, User
from app.complaints.models import Complaint
from app.db import utcnow
from app.extensions import db
from app.funding import awards, incentives, spending
from app.orgs.models import Organization, OrgStatus
from app.oversight.models import Finding, FindingStatus
from app.projects.models import Project, ProjectStatus, SignupStatus
from app.service.models import (
    HoursRequest,
    RecordMethod,
    RecordStatus,
    RequestKind,
    ServiceRating,
    ServiceRecord,
)
from app.templating import SHANGHAI
from app.tenancy.services import add_area
from tests.factories import OrgFactory, user_with
from tests.funding.factories import (
    funding_world,
    make_application,
    make_award,
    make_contract,
    make_merchant,
    make_volunteer,
    pay_tranche,
    request_tranche,
    spend,
)
from tests.service.factories import book, confirm, make_project, make_shift, make_slot


def local_now() -> datetime:
    """10:00 today, Beijing time: the workbench's "now" in these tests."""
    today = utcnow().astimezone(SHANGHAI).date()
    return datetime.combine(today, time(10), tzinfo=SHANGHAI)


@dataclass
class Scene:
    w: object  # the FundingWorld
    now: datetime
    resident: User
    volunteer: User
    expected: dict[str, dict[str, int]] = field(default_factory=dict)


def _record(shift, user, status=RecordStatus.VERIFIED, minutes=120) -> ServiceRecord:
    record = ServiceRecord(
        tenant_id=shift.tenant_id, org_id=shift.org_id, shift_id=shift.id, user_id=user.id,
        activity_name="助老送餐", activity_date=shift.starts_at.date(), place=shift.place,
        organizing_unit="阳光社工服务中心", scheduled_minutes=shift.duration_minutes,
        checked_in_at=shift.starts_at,
        checked_out_at=None if status == RecordStatus.OPEN else shift.starts_at + timedelta(
            minutes=minutes),
        minutes=0 if status == RecordStatus.OPEN else minutes, method=RecordMethod.QR,
        status=status)
    db.session.add(record)
    db.session.flush()
    return record


def _request(shift, user, proposed_by, *, late=False, status="pending") -> HoursRequest:
    request = HoursRequest(
        tenant_id=shift.tenant_id, org_id=shift.org_id, shift_id=shift.id, user_id=user.id,
        kind=RequestKind.MANUAL, starts_at=shift.starts_at, ends_at=shift.ends_at,
        minutes=shift.duration_minutes, scheduled_minutes=shift.duration_minutes,
        reason="忘记扫码", is_late=late, proposed_by_id=proposed_by.id, status=status)
    db.session.add(request)
    db.session.flush()
    return request


def build() -> Scene:
    w = funding_world()
    now = local_now()
    hour = timedelta(hours=1)
    day = timedelta(days=1)
    street = add_area(w.tenant, "东湖街道", "街道")
    happy = add_area(w.tenant, "幸福社区", "社区", street)
    grid = add_area(w.tenant, "幸福社区第1网格", "网格", happy)
    peace = add_area(w.tenant, "和平社区", "社区", street)

    resident, neighbour = w.resident, user_with(w.tenant, Role.RESIDENT, name="邻居")
    volunteer = w.volunteer
    make_volunteer(w, volunteer)
    from app.volunteers.models import VolunteerProfile

    profile = db.session.query(VolunteerProfile).filter_by(user_id=volunteer.id).one()
    profile.area_id, profile.skills = grid.id, "电工、驾驶"

    near = make_project(w.tenant, w.org, "幸福社区助老", area_id=grid.id)
    street_wide = make_project(w.tenant, w.org2, "街道法律咨询", area_id=street.id,
                               category="法律咨询")
    anywhere = make_project(w.tenant, w.org2, "线上心理关怀", category="心理关怀")
    far = make_project(w.tenant, w.org2, "和平社区广场舞", area_id=peace.id, category="文体活动")
    draft = make_project(w.tenant, w.org, "草稿项目", area_id=grid.id)
    draft.status = ProjectStatus.DRAFT

    # The resident: bookings (2 coming), one service to rate, 3 services near home to book.
    past = make_slot(near, now - 2 * day)
    rated = make_slot(near, now - 3 * day)
    past_booking = book(past, resident)
    db.session.add(ServiceRating(tenant_id=w.tenant.id, org_id=w.org.id,
                                 booking_id=book(rated, resident).id, user_id=resident.id,
                                 score=5))
    book(make_slot(near, now + day), resident)                      # coming: 1
    full_today = make_slot(near, now + 4 * hour)
    full_today.capacity = 1
    book(full_today, neighbour)
    book(full_today, resident, status=SignupStatus.WAITLISTED)      # coming: 2 (waitlist)
    cancelled = make_slot(near, now + 2 * day)
    book(cancelled, resident)
    cancelled.cancelled_at = now                                     # not coming: cancelled
    make_slot(near, now + 5 * day)                                   # near: 1
    make_slot(street_wide, now + 10 * day)                           # near: 2 (street-wide)
    make_slot(anywhere, now + 3 * day)                               # near: 3 (no area)
    make_slot(far, now + 2 * day)                                    # another community
    taken = make_slot(near, now + 6 * day)
    taken.capacity = 1
    book(taken, neighbour)                                           # full
    make_slot(near, now + 40 * day)                                  # beyond 30 days
    make_slot(draft, now + 4 * day)                                  # not published

    # The volunteer: 3 coming shifts (one within check-in, one waitlisted), 4 open that suit
    # (two more below: the organization's second shift today, the street-wide one).
    served = make_shift(near, now - day - 3 * hour, hours=2)         # ended yesterday
    _record(served, volunteer)                                       # 2 verified hours
    confirm(make_shift(near, now + 30 * timedelta(minutes=1)), volunteer)  # check-in open
    confirm(make_shift(near, now + 3 * day), volunteer)
    waiting = make_shift(near, now + 4 * day, capacity=1)
    confirm(waiting, neighbour)
    db.session.add(_waitlisted(waiting, volunteer))
    make_shift(near, now + 2 * day)                                  # suits: 1 (no skill asked)
    electric = make_shift(near, now + 5 * day)
    electric.required_skills = "电工"                                 # suits: 2 (a skill of theirs)
    cook = make_shift(near, now + 5 * day)
    cook.required_skills = "厨师"                                     # not theirs
    make_shift(far, now + 2 * day)                                   # another community

    # The organization (阳光): today 2 shifts (one above), 1 still checked in, records due,
    # hours requests, a complaint to answer.
    make_shift(near, now + 5 * hour)                                 # today: 2; suits: 3
    make_shift(street_wide, now + hour)                              # other org's; suits: 4
    still_in = make_shift(near, now - 2 * day, hours=2)
    _record(still_in, user_with(w.tenant, Role.VOLUNTEER, name="李娜"), RecordStatus.OPEN)
    _request(served, volunteer, w.admin)                             # the coordinator decides
    _request(served, volunteer, w.coordinator)                       # the admin decides
    old = make_shift(near, now - 30 * day, hours=2)
    _request(old, volunteer, w.coordinator, late=True)               # the bureau decides
    db.session.add(Complaint(tenant_id=w.tenant.id, org_id=w.org.id,
                             booking_id=past_booking.id, user_id=resident.id, body="迟到了半小时"))
    db.session.add(Complaint(tenant_id=w.tenant.id, org_id=w.org.id, booking_id=past_booking.id,
                             user_id=resident.id, body="已处理", status="answered", answer="抱歉"))

    # Money: a contract with ¥24,000 received; two small purchases await the organization,
    # one large one the bureau, another large one is open to the overseers; one returned.
    contract = make_contract(w, shares=(4000, 3000, 3000))
    pay_tranche(w, contract, 1)
    spend(w, contract, 10_000)                                       # the admin approves: 1
    spend(w, contract, 20_000)                                       # the admin approves: 2
    big = spend(w, contract, 1_050_000, line="物资")                  # the bureau approves
    spending.approve(big, w.admin, as_bureau=False)
    shown = spend(w, contract, 1_050_000, line="物资")                # the overseers' window
    spending.approve(shown, w.admin, as_bureau=False)
    spending.approve(shown, w.officer2, as_bureau=True)
    returned = spend(w, contract, 5_000)                             # the bookkeeper's: 5
    spending.reject(returned, w.admin_b, "发票抬头不对")
    request_tranche(contract.tranches[1], w.officer)       # officer2 approves it
    contract.tranches[2].planned_on = now.date() + timedelta(days=7)  # coming due
    merchant = make_merchant(w)
    from tests.funding.factories import accrue

    accrue(w, volunteer, 5)
    used = incentives.issue(volunteer, w.org, merchant, 3)
    incentives.consume(w.org, used.code, w.coordinator)              # to settle: 1

    # The bureau: an organization to verify, an award under notice with an objection,
    # findings (one new, one in review, one resolved).
    db.session.add(Organization(tenant_id=w.tenant.id, name="新申请的协会",
                                credit_code="WB0000000000000001", kind="文体活动类",
                                status=OrgStatus.PENDING, submitted_at=utcnow()))
    OrgFactory(tenant_id=w.tenant.id, name="已驳回的协会", credit_code="WB0000000000000002",
               status=OrgStatus.REJECTED)
    noticed = make_award(w, make_application(w, contract.award.call, org=w.org2), ended=False)
    awards.file_objection(noticed, text="评分不公开")
    for status in (FindingStatus.OPEN, FindingStatus.IN_REVIEW, FindingStatus.RESOLVED):
        db.session.add(Finding(
            tenant_id=w.tenant.id, rule="split_purchase", subject_key=f"x:{status}",
            org_id=w.org.id, severity="high", details={}, evidence=[], status=status,
            resolution="explained" if status == FindingStatus.RESOLVED else None,
            resolved_at=utcnow() if status == FindingStatus.RESOLVED else None))
    db.session.flush()
    return Scene(w, now, resident, volunteer, expected={
        "resident": {"resident.bookings": 2, "resident.rate": 1, "resident.nearby": 3},
        "volunteer": {"volunteer.shifts": 3, "volunteer.open": 4},
        "coordinator": {"org.today": 2, "org.checked_in": 1, "org.requests": 1,
                        "org.deadlines": 2, "org.complaints": 1,
                        "org.coming": 5},  # 阳光's shifts in 2, 3, 4, 5 and 5 days
        "admin": {"org.today": 2, "org.requests": 1, "org.expenditures": 2,
                  "org.complaints": 1},
        "bookkeeper": {"books.mine": 5, "books.settle": 1},
        "officer": {"bureau.orgs": 1, "bureau.approvals": 1, "bureau.late": 1,
                    "bureau.objections": 1, "bureau.notices": 1, "oversight.findings": 1,
                    "bureau.tranches": 1},
        "officer2": {"bureau.approvals": 2},
        "auditor": {"oversight.findings": 1},
        "overseer": {"overseer.windows": 1},
    })


def build_more(scene: Scene) -> None:
    """One more of everything that waits, for the query-count test."""
    w, now, day = scene.w, scene.now, timedelta(days=1)
    near = db.session.query(Project).filter_by(tenant_id=w.tenant.id, name="幸福社区助老").one()
    book(make_slot(near, now + 2 * day), scene.resident)
    book(make_slot(near, now - 4 * day), scene.resident)
    make_slot(near, now + 8 * day)
    confirm(make_shift(near, now + 6 * day), scene.volunteer)
    make_shift(near, now + 7 * day)
    served = make_shift(near, now - 2 * day, hours=1)
    _request(served, scene.volunteer, w.admin)
    _request(served, scene.volunteer, w.coordinator)
    spend(w, _contract(w), 30_000)
    for n in range(2):
        OrgFactory(tenant_id=w.tenant.id, name=f"又一家协会{n}", credit_code=f"WB00000000000001{n}",
                   status=OrgStatus.PENDING)
    db.session.add(Finding(tenant_id=w.tenant.id, rule="split_purchase", subject_key="y",
                           org_id=w.org.id, severity="low", details={}, evidence=[]))
    db.session.flush()


def _contract(w):
    from app.funding.models import Contract

    return db.session.query(Contract).filter_by(tenant_id=w.tenant.id).one()


def _waitlisted(shift, user):
    from app.projects.models import ShiftSignup

    return ShiftSignup(tenant_id=shift.tenant_id, shift_id=shift.id, user_id=user.id,
                       status=SignupStatus.WAITLISTED, queued_at=shift.starts_at - timedelta(days=1))


__all__ = ["Project", "Scene", "build", "local_now"]
