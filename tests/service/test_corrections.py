"""Hours added by hand and corrections: propose, decide by another person, the deadline,
and the points that follow (reversals, never edits)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from app.auth.models import Role
from app.books.models import OutboxEvent
from app.notifications.models import Notification
from app.service import corrections
from app.service.corrections import ServiceError, bulk_approve, decide, propose
from app.service.models import (
    HoursRequest,
    PointsEntry,
    PointsWallet,
    RecordMethod,
    RecordStatus,
    RequestKind,
    RequestStatus,
    ServiceRecord,
)
from app.service.services import make_token, scan
from tests.factories import user_with
from tests.service.factories import at, confirm, scene

SOON = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)  # the day after the shift: well within 10 days


def served(s, volunteer, minutes_in: float, minutes_out: float) -> ServiceRecord:
    t_in, t_out = at(s.shift, minutes_in), at(s.shift, minutes_out)
    scan(s.shift, volunteer, make_token(s.shift, "in", t_in), t_in)
    return scan(s.shift, volunteer, make_token(s.shift, "out", t_out), t_out)[1]


def entries(db) -> list[tuple[str, int, int]]:
    return [(e.kind, e.points, e.balance_after)
            for e in db.session.scalars(select(PointsEntry).order_by(PointsEntry.id))]


def test_volunteer_asks_for_a_correction_and_another_person_approves(zh):
    s = scene()
    record = served(s, s.volunteer, 30, 120)  # 1.5 h recorded, 1 point
    request = propose(s.shift, s.volunteer, s.volunteer, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 120), reason="到达时忘记扫码", now=SOON)
    assert (request.kind, request.minutes, request.previous_minutes, request.is_late) == (
        RequestKind.CORRECTION, 120, 90, False)
    decide(request, s.coordinator, approve=True, now=SOON)
    assert (record.minutes, record.method, record.status, record.verified_by_id) == (
        120, RecordMethod.CORRECTION, RecordStatus.VERIFIED, s.coordinator.id)
    assert record.checked_in_at == at(s.shift, 0)
    assert entries(zh) == [("accrual", 1, 1), ("accrual", 1, 2)]
    note = zh.session.scalar(select(Notification).where(Notification.user_id == s.volunteer.id))
    assert note.title == "您在“助老送餐”的时长已获批准"


def test_a_correction_that_removes_hours_reverses_their_points(zh):
    s = scene()
    record = served(s, s.volunteer, 0, 180)  # 3 points
    first = zh.session.scalar(select(PointsEntry))
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 60), reason="中途离开两小时", now=SOON)
    decide(request, s.admin, approve=True, now=SOON)
    assert record.minutes == 60 and record.points == 1
    assert entries(zh) == [("accrual", 3, 3), ("accrual", 1, 4), ("reversal", -3, 1)]
    reversal = zh.session.scalars(select(PointsEntry).where(PointsEntry.kind == "reversal")).one()
    assert reversal.reverses_id == first.id
    zh.session.refresh(first)
    assert (first.points, first.balance_after) == (3, 3)  # the original entry is untouched
    event = zh.session.get(OutboxEvent, reversal.outbox_id)
    assert event.kind == "reversal" and event.payload["original"]["points"] == 3
    assert zh.session.get(PointsWallet, reversal.wallet_id).balance == 1


def test_nobody_approves_their_own_request(zh):
    s = scene()
    served(s, s.volunteer, 0, 60)
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 90), reason="签退延迟", now=SOON)
    with pytest.raises(ServiceError, match="不得审批自己") as err:
        decide(request, s.coordinator, approve=True, now=SOON)
    assert err.value.status == 403
    assert request.status == RequestStatus.PENDING
    assert not corrections.may_decide(request, s.coordinator)
    assert corrections.may_decide(request, s.admin)


def test_nobody_approves_a_request_about_their_own_hours(zh):
    s = scene()
    confirm(s.shift, s.coordinator)  # the coordinator also served as a volunteer
    request = propose(s.shift, s.coordinator, s.admin, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 60), reason="协调员本人补录", now=SOON)
    with pytest.raises(ServiceError, match="不得审批自己"):
        decide(request, s.coordinator, approve=True, now=SOON)


def test_staff_add_hours_by_hand_for_someone_without_a_record(zh):
    s = scene()
    request = propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 130), reason="手机没电无法扫码", now=SOON)
    assert request.kind == RequestKind.MANUAL and request.minutes == 120
    assert zh.session.scalar(select(ServiceRecord)) is None  # nothing counts until approved
    decide(request, s.admin, approve=True, now=SOON)
    record = zh.session.scalar(select(ServiceRecord))
    assert (record.user_id, record.method, record.minutes, record.status, record.marked_by_id) == (
        s.other.id, RecordMethod.MANUAL, 120, RecordStatus.VERIFIED, s.coordinator.id)


@pytest.mark.parametrize(("start", "end", "message"), [
    (-30, 120, "必须在岗位时段内"),
    (0, 200, "必须在岗位时段内"),
    (90, 60, "离开时间必须晚于到达时间"),
    (0, None, "请同时填写到达和离开时间"),
])
def test_proposed_hours_must_lie_inside_the_shift(zh, start, end, message):
    s = scene()
    with pytest.raises(ServiceError, match=message):
        propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, start),
                ends_at=at(s.shift, end) if end is not None else None, reason="补录", now=SOON)
    assert zh.session.scalar(select(HoursRequest)) is None


def test_volunteers_propose_only_for_themselves(zh):
    s = scene()
    with pytest.raises(ServiceError, match="只能为自己申请"):
        propose(s.shift, s.other, s.volunteer, starts_at=at(s.shift, 0),
                ends_at=at(s.shift, 60), reason="帮同伴补录", now=SOON)


def test_rejecting_needs_a_reason_and_changes_nothing(zh):
    s = scene()
    record = served(s, s.volunteer, 0, 60)
    request = propose(s.shift, s.volunteer, s.volunteer, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 180), reason="我一直在", now=SOON)
    with pytest.raises(ServiceError, match="驳回时请填写理由"):
        decide(request, s.coordinator, approve=False, now=SOON)
    decide(request, s.coordinator, approve=False, reason="签到记录显示 11 点离开", now=SOON)
    assert request.status == RequestStatus.REJECTED and record.minutes == 60
    with pytest.raises(ServiceError, match="已处理"):
        decide(request, s.admin, approve=True, now=SOON)


def test_one_pending_request_at_a_time(zh):
    s = scene()
    propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, 0), ends_at=at(s.shift, 60),
            reason="补录", now=SOON)
    with pytest.raises(ServiceError, match="等待审批"):
        propose(s.shift, s.other, s.other, starts_at=at(s.shift, 0), ends_at=at(s.shift, 90),
                reason="补录", now=SOON)


def test_after_the_deadline_a_record_is_late_and_only_the_bureau_approves(zh):
    s = scene()
    officer = user_with(s.tenant, Role.BUREAU_OFFICER)
    # Shift ends Wednesday 4 March 2026; ten working days later is Wednesday 18 March.
    on_time = datetime(2026, 3, 18, 8, 0, tzinfo=UTC)
    late = datetime(2026, 3, 19, 2, 0, tzinfo=UTC)
    assert not propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, 0),
                       ends_at=at(s.shift, 60), reason="补录", now=on_time).is_late
    zh.session.execute(update(HoursRequest).values(status=RequestStatus.REJECTED))
    request = propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 60), reason="补录", now=late)
    assert request.is_late
    with pytest.raises(ServiceError, match="只有民政局可以审批"):
        decide(request, s.admin, approve=True, now=late)
    officer_note = zh.session.scalar(select(Notification).where(
        Notification.user_id == officer.id))
    assert officer_note.title == "有一条逾期服务记录等待您审批"
    decide(request, officer, approve=True, now=late)
    record = zh.session.scalar(select(ServiceRecord))
    assert record.is_late and record.status == RecordStatus.VERIFIED


def test_a_missing_check_out_is_resolved_by_an_approved_proposal(zh):
    s = scene()
    t_in = at(s.shift, 5)
    scan(s.shift, s.volunteer, make_token(s.shift, "in", t_in), t_in)
    record = zh.session.scalar(select(ServiceRecord))
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=t_in,
                      ends_at=at(s.shift, 170), reason="离开时忘记签退", now=SOON)
    decide(request, s.admin, approve=True, now=SOON)
    assert (record.status, record.minutes, record.checked_out_at) == (
        RecordStatus.VERIFIED, 165, at(s.shift, 170))


def test_did_not_serve_voids_the_record_and_takes_back_its_points(zh):
    s = scene()
    record = served(s, s.volunteer, 0, 120)
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=None, ends_at=None,
                      no_service=True, reason="代签，本人未到场", now=SOON)
    decide(request, s.admin, approve=True, now=SOON)
    assert (record.status, record.minutes, record.points) == (RecordStatus.VOID, 0, 0)
    assert entries(zh) == [("accrual", 2, 2), ("reversal", -2, 0)]


def test_points_already_redeemed_cannot_be_taken_back(zh):
    s = scene()
    record = served(s, s.volunteer, 0, 180)
    zh.session.execute(update(PointsWallet).values(balance=1))  # 2 points spent elsewhere
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 60), reason="更正", now=SOON)
    with pytest.raises(ServiceError, match="已兑换"), zh.session.begin_nested():
        decide(request, s.admin, approve=True, now=SOON)
    assert (record.minutes, record.points, request.status) == (180, 3, RequestStatus.PENDING)
    assert zh.session.scalar(select(PointsWallet.balance)) == 1
    assert entries(zh) == [("accrual", 3, 3)]


def test_bulk_approval_leaves_ones_own_proposals(zh):
    s = scene()
    propose(s.shift, s.other, s.coordinator, starts_at=at(s.shift, 0), ends_at=at(s.shift, 60),
            reason="补录", now=SOON)
    own = propose(s.shift, s.volunteer, s.volunteer, starts_at=at(s.shift, 0),
                  ends_at=at(s.shift, 90), reason="补录", now=SOON)
    assert bulk_approve(s.shift, s.coordinator, now=SOON) == (1, 1)
    assert own.status == RequestStatus.APPROVED
    assert bulk_approve(s.shift, s.admin, now=SOON) == (1, 0)
    assert len(zh.session.scalars(select(ServiceRecord)).all()) == 2
