"""The service API: my records, dashboard figures, correction requests, certificates and
public verification."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.services import issue_api_token
from app.db import utcnow
from app.service.hours import local_date
from app.service.models import Certificate, HoursRequest
from app.service.services import make_token, scan
from tests.service.factories import at, profile, scene


def served(s):
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    return scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, 150)),
                at(s.shift, 150))[1]


def auth(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user, 'test')}"}


def test_records_and_dashboard(client, db):
    s = scene()
    record = served(s)
    base, headers = f"/api/v1/t/{s.tenant.slug}/service", auth(s.volunteer)
    page = client.get(f"{base}/records", headers=headers).get_json()
    assert page["total"] == 1
    [item] = page["items"]
    assert (item["id"], item["minutes"], item["method"], item["status"], item["organizing_unit"],
            item["leader_name"], item["activity_date"]) == (
        record.id, 150, "qr", "verified", "阳光社区服务中心", "协调员", "2026-03-04")
    figures = client.get(f"{base}/dashboard", headers=headers).get_json()
    assert (figures["total_minutes"], figures["points"], figures["stars"],
            figures["minutes_to_next_star"]) == (150, 2, 0, 6000 - 150)
    assert figures["by_organization"] == [{"name": "阳光社区服务中心", "minutes": 150,
                                           "records": 1}]
    assert client.get(f"{base}/records", headers=auth(s.other)).get_json()["total"] == 0


def test_correction_requests_through_the_api(client, db):
    s = scene(start=(utcnow() - timedelta(hours=5)).replace(second=0, microsecond=0))
    base, headers = f"/api/v1/t/{s.tenant.slug}/service", auth(s.volunteer)
    start = s.shift.starts_at
    response = client.post(f"{base}/corrections", headers=headers, json={
        "shift_id": s.shift.id, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=90)).isoformat(), "reason": "忘记扫码"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["minutes"] == 90 and response.get_json()["status"] == "pending"
    outside = client.post(f"{base}/corrections", headers=auth(s.other), json={
        "shift_id": s.shift.id, "starts_at": (start - timedelta(hours=1)).isoformat(),
        "ends_at": start.isoformat(), "reason": "路上时间"})
    assert outside.status_code == 400
    assert "时长必须在岗位时段内" in outside.get_json()["message"]
    listed = client.get(f"{base}/corrections", headers=headers).get_json()
    assert [r["reason"] for r in listed] == ["忘记扫码"]
    assert len(db.session.scalars(select(HoursRequest)).all()) == 1


def test_certificates_only_for_oneself_and_public_verification(client, db):
    s = scene()
    profile(s.tenant, s.volunteer)
    served(s)
    base, headers = f"/api/v1/t/{s.tenant.slug}/service", auth(s.volunteer)
    today = local_date(utcnow()).isoformat()
    refused = client.post(f"{base}/certificates", headers=auth(s.coordinator), json={
        "date_from": "2026-01-01", "date_to": today, "user_id": s.volunteer.id})
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "只能申请本人的志愿服务记录证明。"
    assert db.session.scalar(select(Certificate)) is None
    created = client.post(f"{base}/certificates", headers=headers,
                          json={"date_from": "2026-01-01", "date_to": today})
    assert created.status_code == 201
    number = created.get_json()["number"]
    assert db.session.scalar(select(Certificate)).pdf_status == "ready"  # the job ran inline
    check = client.get(f"{base}/certificates/{number}/verification").get_json()
    assert (check["status"], check["total_minutes"], check["volunteer"], check["id_number"]) == (
        "genuine", 150, "张*", "110************019")
    assert client.get(f"{base}/certificates/GZ2026-0000000000/verification").status_code == 404


def test_the_api_needs_a_role_in_the_tenant(client, db):
    s = scene()
    other = scene()
    response = client.get(f"/api/v1/t/{other.tenant.slug}/service/dashboard",
                          headers=auth(s.volunteer))
    assert response.status_code == 403
    assert client.get(f"/api/v1/t/{s.tenant.slug}/service/records").status_code == 401


def test_service_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/t/{tenant}/service/records", "/api/v1/t/{tenant}/service/dashboard",
            "/api/v1/t/{tenant}/service/corrections", "/api/v1/t/{tenant}/service/certificates",
            "/api/v1/t/{tenant}/service/certificates/{number}/verification"} <= set(paths)
