"""A community group filed (备案) with the street joins without a credit code, with its filing
record and a sponsoring hub; the sponsor confirms, then the bureau verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import storage
from app.audit.models import AuditEntry
from app.grassroots import filing, services
from app.grassroots.filing import GroupError
from app.grassroots.models import Filing, Incubation
from app.notifications.models import Notification
from app.orgs import services as orgs
from app.orgs.models import OrgStatus
from app.orgs.services import OrgError
from app.parsing import local_today
from tests.factories import OrgFactory, UserFactory
from tests.grassroots.factories import document, group_data, group_world, register


def test_a_filed_group_joins_with_its_filing_record_and_no_credit_code(db):
    w = group_world()
    group, leader = register(w, number="东湖社备〔2026〕012号")
    assert group.credit_code is None and group.is_filed
    assert group.status == OrgStatus.PENDING and group.parent_id == w.hub.id
    row = filing.filing_of(group)
    assert (row.number, row.filed_with_id, row.sponsor_status) == (
        "东湖社备〔2026〕012号", w.community.id, "pending")
    with storage.area(storage.UPLOADS).open(row.document_file) as stored:
        assert stored.read().startswith(b"%PDF-")
    assert [o.id for o in orgs.orgs_of(leader, w.tenant)] == [group.id]
    asked = db.session.scalars(select(Notification.title).where(
        Notification.user_id == w.hub_admin.id)).all()
    assert any("幸福社区银龄合唱队" in t for t in asked)
    # The bureau hears of it only once the sponsor has confirmed.
    assert not db.session.scalars(select(Notification).where(
        Notification.user_id == w.officer.id)).all()


def test_a_registered_organization_still_needs_a_valid_credit_code(db):
    w = group_world()
    user = UserFactory()
    for code in ("", "91350100M000100Y44"):  # none; a wrong check character
        data = group_data("阳光社工服务中心", credit_code=code)
        with pytest.raises(OrgError, match="统一社会信用代码"):
            orgs.register(w.tenant, user, data, document())
    org = orgs.register(w.tenant, user, group_data("阳光社工服务中心",
                                                   credit_code="91350100m000100y43"), document())
    assert org.credit_code == "91350100M000100Y43" and not org.is_filed


def test_the_bureau_verifies_a_filed_group_only_after_its_sponsor_confirms(db):
    w = group_world()
    group, _leader = register(w)
    with pytest.raises(OrgError, match="依托单位尚未确认"):
        orgs.approve(group, w.officer)
    assert services.incubation_of(group) is None
    filing.answer_sponsorship(group, w.hub_admin, accept=True, note="欢迎入驻")
    incubation = services.incubation_of(group)
    assert (incubation.incubator_id, incubation.stage, incubation.stage_since) == (
        w.hub.id, "admitted", local_today())
    assert db.session.scalars(select(Notification).where(
        Notification.user_id == w.officer.id)).all()
    orgs.approve(group, w.officer)
    assert group.is_verified


def test_only_the_named_sponsor_answers_and_only_once(db):
    w = group_world()
    group, _leader = register(w)
    filing.answer_sponsorship(group, w.hub_admin, accept=True)
    with pytest.raises(GroupError, match="没有等待您的答复"):
        filing.answer_sponsorship(group, w.hub_admin, accept=False, note="改主意了")


def test_a_sponsor_declines_with_a_note_and_the_group_names_another(db):
    w = group_world()
    other = OrgFactory(tenant_id=w.tenant.id, name="和平社区社会组织孵化园", is_incubator=True,
                       credit_code="91110000802100433B")
    group, _leader = register(w)
    with pytest.raises(GroupError, match="请说明不同意的原因"):
        filing.answer_sponsorship(group, w.hub_admin, accept=False, note=" ")
    filing.answer_sponsorship(group, w.hub_admin, accept=False, note="本中心名额已满")
    row = filing.filing_of(group)
    assert (row.sponsor_status, row.sponsor_note) == ("declined", "本中心名额已满")
    filing.update_filing(group, filing.FilingData(row.number, row.filed_with_id, row.filed_on,
                                                  other.id), None)
    assert (group.parent_id, row.sponsor_status, row.sponsor_note) == (other.id, "pending", "")


@pytest.mark.parametrize(("change", "words"), [
    ({"number": " "}, "备案编号"),
    ({"number": "号" * 41}, "备案编号"),
    ({"filed_on": None}, "请填写备案日期"),
    ({"filed_on": local_today() + timedelta(days=1)}, "不能晚于今天"),
    ({"filed_with_id": None}, "街道或社区"),
    ({"sponsor_id": None}, "作为依托单位"),
])
def test_an_incomplete_filing_record_is_refused(db, change, words):
    w = group_world()
    with pytest.raises(GroupError, match=words):
        register(w, **change)
    assert db.session.scalars(select(Filing)).all() == []


def test_a_sponsor_must_be_a_verified_hub_or_incubator_of_the_district(db):
    w = group_world()
    plain = OrgFactory(tenant_id=w.tenant.id, name="普通社会组织", credit_code="91110000802100433B")
    with pytest.raises(GroupError, match="枢纽型组织或孵化机构"):
        register(w, sponsor_id=plain.id)
    grid = filing.filing_areas(w.tenant)
    assert [a.name for a in grid] == ["东湖街道", "幸福社区"]


def test_one_filing_number_is_one_group_in_the_district(db):
    w = group_world()
    register(w, number="东湖社备〔2026〕007号")
    with pytest.raises(GroupError, match="已有组织登记"):
        register(w, name="另一个合唱队", number="东湖社备〔2026〕007号")


def test_joining_and_the_sponsors_answer_are_in_the_audit_log(db):
    w = group_world()
    group, _leader = register(w)
    filing.answer_sponsorship(group, w.hub_admin, accept=True)
    db.session.flush()
    logged = {(e.object_type, e.action) for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.tenant_id == w.tenant.id))}
    assert {("organization", "create"), ("filing", "create"), ("filing", "update"),
            ("incubation", "create"), ("stage_move", "create")} <= logged
    change = db.session.scalars(select(AuditEntry).where(
        AuditEntry.tenant_id == w.tenant.id, AuditEntry.object_type == "filing",
        AuditEntry.action == "update").order_by(AuditEntry.id)).all()[-1]  # the answer, the last
    assert change.changes["sponsor_status"] == ["pending", "confirmed"]
    assert db.session.scalar(select(Incubation.org_id)) == group.id
