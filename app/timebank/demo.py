"""Demo: the demo district runs points and the time bank side by side. The verified service
hours are deposited; the volunteer 张伟 gives three hours to 郑奶奶, who lives alone, and she
pays with them for the home-appliance repair of another organization (通存通兑). Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.services import find_user
from app.extensions import db
from app.orgs.models import Organization
from app.projects import signups
from app.projects.models import Project, ServiceSlot, SignupStatus, SlotBooking
from app.service.models import RecordMethod, RecordStatus, ServiceRecord
from app.tenancy.models import Tenant
from app.timebank import services
from app.timebank.models import GIFT_OUT, TimeEntry

ORDER = 96  # after every step that verifies service records (service 30, teams 38, reputation 95)
GIVER, RECEIVER, MINUTES = "13800000001", "13900000003", 180
REPAIRS = ("邻里互助社", "家电义务维修进社区")


def step(tenant: Tenant) -> str | None:
    if tenant.setting("incentive_mode") == "points" and not tenant.rule_timeline.get(
            "incentive_mode"):
        tenant.settings = {**(tenant.settings or {}), "incentive_mode": "both"}
        db.session.flush()
    made = []
    for record in db.session.scalars(select(ServiceRecord).where(
            ServiceRecord.tenant_id == tenant.id, ServiceRecord.status == RecordStatus.VERIFIED,
            # Hours brought in from before (imports, the national system) deposit nothing.
            ServiceRecord.method != RecordMethod.IMPORT).order_by(ServiceRecord.id)).all():
        made += services.record_time(record, approver=None, now=record.verified_at)
    giver, receiver = find_user(GIVER), find_user(RECEIVER)
    if giver is None or receiver is None or db.session.scalar(select(TimeEntry.id).where(
            TimeEntry.tenant_id == tenant.id, TimeEntry.kind == GIFT_OUT).limit(1)):
        return f"time bank: {len(made)} deposits" if made else None
    if services.balance(tenant.id, giver.id) < MINUTES:
        return f"time bank: {len(made)} deposits" if made else None
    services.give(tenant, giver, receiver, MINUTES, by=giver)
    slot = db.session.scalar(
        select(ServiceSlot).join(Project).join(Organization, Organization.id == Project.org_id)
        .where(ServiceSlot.tenant_id == tenant.id, Organization.name == REPAIRS[0],
               Project.name == REPAIRS[1]).order_by(ServiceSlot.starts_at))
    paid = ""
    if slot is not None:
        booking = db.session.scalar(select(SlotBooking).where(
            SlotBooking.slot_id == slot.id, SlotBooking.user_id == receiver.id))
        if booking is None or booking.status != SignupStatus.CONFIRMED:
            booking = signups.book(receiver, slot, slot.target_group)
        if (booking.status == SignupStatus.CONFIRMED
                and services.price_minutes(slot) <= services.balance(tenant.id, receiver.id)):
            services.pay(booking, receiver)
            paid = ", a booking paid in credits"
    return f"time bank: {len(made)} deposits, a gift{paid}"
