"""Sending a community notice: one batch of residents at a time, in order of person, each
batch's inbox messages written in one statement together with the notice's counts and the
last person done, so a job that stops and runs again neither skips nor repeats anyone."""

from __future__ import annotations

from sqlalchemy import insert, select

from app.db import utcnow
from app.extensions import db
from app.notices import audience
from app.notices.models import CommunityNotice, NoticeStatus
from app.notifications.models import Notification
from app.residents.models import ResidentProfile
from app.tenancy.models import Area

KIND = "community_notice"
BATCH = 2000


def send_batch(notice_id: int, size: int = BATCH) -> tuple[bool, list[int], list[int]]:
    """Deliver the next ``size`` residents of a notice: (finished?, messages to copy by text
    message, messages to copy by email). The caller commits."""
    notice = db.session.get(CommunityNotice, notice_id, with_for_update=True,
                            populate_existing=True)
    if notice is None or notice.status == NoticeStatus.SENT:
        return True, [], []
    area = db.session.get(Area, notice.area_id) if notice.area_id else None
    found = [] if area is None else db.session.execute(
        audience.rows(notice.tenant_id, area, notice.target_group)
        # The roll's (tenant, person) key walks the batches in order.
        .where(ResidentProfile.user_id > notice.cursor_user_id)
        .order_by(ResidentProfile.user_id).limit(size)).all()
    now = utcnow()
    if not found:
        notice.status, notice.finished_at = NoticeStatus.SENT, now
        db.session.flush()
        return True, [], []
    wanted = [r for r in found if not r.stopped]
    if wanted:
        db.session.execute(insert(Notification), [
            {"user_id": r.id, "tenant_id": notice.tenant_id, "title": notice.title,
             "body": notice.body, "link": None, "kind": KIND, "subject_id": notice.id,
             "email_status": "pending" if r.email else "none",
             "sms_status": "pending" if r.sms else "none", "created_at": now}
            for r in wanted])
    notice.reached += len(wanted)
    notice.by_sms += sum(1 for r in wanted if r.sms)
    notice.opted_out += len(found) - len(wanted)
    notice.cursor_user_id = found[-1].id
    db.session.flush()
    copies = [] if not any(r.sms or r.email for r in wanted) else db.session.execute(
        select(Notification.id, Notification.sms_status, Notification.email_status).where(
            Notification.kind == KIND, Notification.subject_id == notice.id,
            Notification.user_id.in_([r.id for r in wanted if r.sms or r.email]))).all()
    return (False, [c.id for c in copies if c.sms_status == "pending"],
            [c.id for c in copies if c.email_status == "pending"])
