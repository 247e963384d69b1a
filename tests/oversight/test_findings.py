"""The anomaly queue: rules raise findings once per subject, scans re-run without
duplicating, and findings are assigned and resolved, never deleted."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.auth.models import Role
from app.oversight.models import Finding, ScanRun
from app.oversight.rules import get_rule
from app.oversight.scan import run_scan, start_scan
from app.volunteers.models import VolunteerProfile
from tests.factories import TenantFactory, UserFactory, user_with

ID_NUMBER = "110105198503070019"


def _profile(tenant, user, id_number=ID_NUMBER):
    from app.db import utcnow

    profile = VolunteerProfile(tenant_id=tenant.id, user_id=user.id, real_name="张伟", gender="M",
                               birth_date=date(1985, 3, 7), id_number=id_number,
                               phone=user.phone, consent_at=utcnow(), consent_version="2026-01")
    from app.extensions import db

    db.session.add(profile)
    db.session.flush()
    return profile


def _scan(tenant, codes=("identity.shared_id_number",)):
    return run_scan(start_scan(tenant, "manual"), [get_rule(c) for c in codes])


def _findings(db, tenant):
    return db.session.scalars(select(Finding).where(Finding.tenant_id == tenant.id)
                              .order_by(Finding.id)).all()


def test_one_id_number_behind_two_accounts_is_flagged_in_each_district(db):
    a, b = TenantFactory(), TenantFactory()
    first, second = UserFactory(), UserFactory()
    mine = _profile(a, first)
    _profile(b, second)
    _scan(a)
    [finding] = _findings(db, a)
    assert finding.rule == "identity.shared_id_number"
    assert finding.subject_key == f"user:{first.id}"
    assert finding.severity == "high"
    assert finding.evidence == [{"type": "volunteer_profile", "id": mine.id}]
    assert finding.details == {"accounts": 1}
    # Nothing of the other district is written into this one's finding.
    assert ID_NUMBER not in str(finding.details) + str(finding.evidence)


def test_the_same_person_registered_in_two_districts_is_not_flagged(db):
    a, b = TenantFactory(), TenantFactory()
    person = UserFactory()
    _profile(a, person)
    _profile(b, person)
    run = _scan(a)
    assert _findings(db, a) == []
    assert run.rule_stats["identity.shared_id_number"]["hits"] == 0


def test_rescanning_updates_the_finding_instead_of_duplicating_it(db):
    a, b = TenantFactory(), TenantFactory()
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    first = _scan(a)
    second = _scan(a)
    [finding] = _findings(db, a)
    db.session.refresh(finding)
    assert (first.new_findings, second.new_findings) == (1, 0)
    assert finding.times_seen == 2
    assert finding.first_scan_id == first.id and finding.last_scan_id == second.id


def test_a_resolved_finding_stays_resolved_when_seen_again(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    officer = user_with(a, Role.BUREAU_OFFICER)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    _scan(a)
    [finding] = _findings(db, a)
    login(officer)
    response = client.post(f"/t/{a.slug}/oversight/findings/{finding.id}/resolve",
                           data={"resolution": "explained", "note": "两个账号为同一人，已合并说明"})
    assert response.status_code == 302
    _scan(a)
    db.session.refresh(finding)
    assert (finding.status, finding.resolution, finding.resolved_by_id) == (
        "resolved", "explained", officer.id)
    assert finding.times_seen == 2
    assert db.session.scalar(select(func.count(Finding.id)).where(Finding.tenant_id == a.id)) == 1


def test_resolving_needs_a_note(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    officer = user_with(a, Role.BUREAU_OFFICER)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    _scan(a)
    [finding] = _findings(db, a)
    login(officer)
    response = client.post(f"/t/{a.slug}/oversight/findings/{finding.id}/resolve",
                           data={"resolution": "confirmed", "note": ""}, follow_redirects=True)
    assert "请填写处理说明" in response.get_data(as_text=True)
    db.session.refresh(finding)
    assert finding.status == "open"


def test_assigning_to_an_officer_puts_it_in_review(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    officer, colleague = user_with(a, Role.BUREAU_OFFICER), user_with(a, Role.BUREAU_OFFICER)
    auditor = user_with(a, Role.AUDITOR)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    _scan(a)
    [finding] = _findings(db, a)
    login(officer)
    client.post(f"/t/{a.slug}/oversight/findings/{finding.id}/assign",
                data={"assignee_id": colleague.id})
    db.session.refresh(finding)
    assert (finding.status, finding.assignee_id) == ("in_review", colleague.id)
    # An auditor is not someone findings are handed to (they read; the bureau acts).
    client.post(f"/t/{a.slug}/oversight/findings/{finding.id}/assign",
                data={"assignee_id": auditor.id})
    db.session.refresh(finding)
    assert finding.assignee_id == colleague.id


def test_the_queue_page_lists_findings_by_severity_for_auditors(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    auditor = user_with(a, Role.AUDITOR)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    _scan(a)
    login(auditor)
    body = client.get(f"/t/{a.slug}/oversight/findings").get_data(as_text=True)
    assert "同一身份证号对应两个账号" in body
    assert "另有 1 个账号登记了该志愿者的身份证号" in body
    assert "立即扫描" not in body  # auditors read; the bureau runs scans


def test_auditors_cannot_resolve_or_run_scans(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    auditor = user_with(a, Role.AUDITOR)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    _scan(a)
    [finding] = _findings(db, a)
    login(auditor)
    assert client.post(f"/t/{a.slug}/oversight/findings/{finding.id}/resolve",
                       data={"resolution": "explained", "note": "看过了，没问题"}).status_code == 403
    assert client.post(f"/t/{a.slug}/oversight/scans").status_code == 403


def test_running_a_scan_from_the_page_raises_findings(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    officer = user_with(a, Role.BUREAU_OFFICER)
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    login(officer)
    response = client.post(f"/t/{a.slug}/oversight/scans")
    assert response.status_code == 302
    run = db.session.scalar(select(ScanRun).where(ScanRun.tenant_id == a.id))
    assert (run.status, run.trigger, run.requested_by_id) == ("done", "manual", officer.id)
    assert run.new_findings >= 1
    assert len(_findings(db, a)) == run.new_findings


def test_a_failing_rule_is_reported_and_the_others_still_run(db, monkeypatch):
    from app.oversight.rules import RULES, AnomalyRule

    def broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    a, b = TenantFactory(), TenantFactory()
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    rule = AnomalyRule("test.broken", "broken", "broken", "low", broken)
    run = run_scan(start_scan(a, "manual"), [rule, RULES["identity.shared_id_number"]])
    assert run.rule_stats["test.broken"] == {"error": "boom"}
    assert run.rule_stats["identity.shared_id_number"]["new"] == 1
    assert (run.status, run.error) == ("done", "test.broken")


def test_cli_scan_prints_each_rule(app, db):
    a, b = TenantFactory(slug="clia"), TenantFactory()
    _profile(a, UserFactory())
    _profile(b, UserFactory())
    result = app.test_cli_runner().invoke(args=["audit", "scan", "--tenant", "clia",
                                                "--rule", "identity.shared_id_number"])
    assert result.exit_code == 0, result.output
    assert "clia\tidentity.shared_id_number\t1 hits, 1 new" in result.output
    assert len(_findings(db, a)) == 1
    bad = app.test_cli_runner().invoke(args=["audit", "scan", "--rule", "no.such"])
    assert bad.exit_code != 0 and "unknown rule" in bad.output
