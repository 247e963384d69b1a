"""The same operations through ``/api/v1`` with bearer tokens: organizations, projects,
shifts and slots, sign-ups, search; refusals are JSON with the user's message."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role
from app.auth.services import issue_api_token
from app.projects.models import Project, Shift
from tests.factories import OrgFactory, TenantFactory, UserFactory, user_with
from tests.orgs.files import PDF, upload
from tests.orgs.test_registration import code
from tests.projects.factories import ProjectFactory, shift, volunteer


def auth(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user, 'test')}"}


def test_register_verify_and_staff_through_the_api(client, db):
    tenant = TenantFactory()
    officer, person = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.RESIDENT)
    base = f"/api/v1/t/{tenant.slug}/organizations"
    form = {"name": "邻里守望社", "credit_code": code(3), "kind": "居民互助类",
            "legal_representative": "周一", "contact_name": "周一", "contact_phone": "13711112222"}
    bad = client.post(base, data={**form, "credit_code": "123"}, headers=auth(person),
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "统一社会信用代码无效" in bad.get_json()["message"]
    response = client.post(base, data={**form, "certificate": upload(PDF, "c.pdf")},
                           headers=auth(person), content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    org = response.get_json()
    assert (org["status"], org["contact_phone"]) == ("pending", "137****2222")
    assert client.get(f"{base}/{org['id']}").status_code == 404  # not public yet
    assert [o["id"] for o in client.get(f"{base}/pending", headers=auth(officer)).get_json()] == [org["id"]]
    done = client.post(f"{base}/{org['id']}/verification", json={"decision": "approve"},
                       headers=auth(officer))
    assert done.get_json()["status"] == "verified"
    colleague = UserFactory(phone="13711113333")
    invited = client.post(f"{base}/{org['id']}/staff", json={"account": "13711113333",
                                                               "role": "org_coordinator"},
                          headers=auth(person))
    assert invited.status_code == 201
    accepted = client.post(f"/api/v1/t/{tenant.slug}/invitations/{invited.get_json()['id']}/acceptance",
                           headers=auth(colleague))
    assert accepted.get_json()["status"] == "accepted"
    staff = client.get(f"{base}/{org['id']}/staff", headers=auth(person)).get_json()
    assert sorted((s["phone"], s["roles"][0]) for s in staff) == sorted([
        ("137****3333", "org_coordinator"), (person.phone[:3] + "****" + person.phone[-4:], "org_admin")])


def test_project_life_through_the_api(client, db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org)
    base = f"/api/v1/t/{tenant.slug}"
    created = client.post(f"{base}/organizations/{org.id}/projects", headers=auth(coordinator), json={
        "name": "长者智能手机课堂", "category": "助老服务", "target_groups": ["独居老人"],
        "content": "手把手教老人用手机", "budget_lines": [{"line": "教材", "amount": "120.50"}]})
    assert created.status_code == 201
    project = created.get_json()
    assert project["status"] == "draft" and project["budget_lines"] == [{"line": "教材", "amount": "120.50"}]
    refused = client.post(f"{base}/projects/{project['id']}/publication", headers=auth(coordinator))
    assert refused.status_code == 422 and refused.get_json()["message"] == "发布前请至少添加一个志愿岗位或服务名额。"
    backwards = client.post(f"{base}/projects/{project['id']}/shifts", headers=auth(coordinator), json={
        "starts_at": "2099-05-01T10:00", "ends_at": "2099-05-01T09:00", "place": "活动室", "capacity": 2})
    assert backwards.status_code == 422 and backwards.get_json()["message"] == "结束时间必须晚于开始时间。"
    assert db.session.scalar(select(func.count(Shift.id))) == 0
    added = client.post(f"{base}/projects/{project['id']}/shifts", headers=auth(coordinator), json={
        "starts_at": "2099-05-01T09:00", "ends_at": "2099-05-01T11:00", "place": "活动室", "capacity": 1})
    assert added.get_json()["starts_at"] == "2099-05-01T01:00:00+00:00"  # 09:00 in Shanghai
    assert client.post(f"{base}/projects/{project['id']}/publication",
                       headers=auth(coordinator)).get_json()["status"] == "published"
    found = client.get(f"{base}/projects?q=手机").get_json()
    assert [i["name"] for i in found["items"]] == ["长者智能手机课堂"] and found["items"][0]["shift_places"] == 1
    detail = client.get(f"{base}/projects/{project['id']}").get_json()
    assert detail["shifts"][0]["remaining"] == 1


def test_sign_up_waitlist_and_withdraw_through_the_api(client, db):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    row = shift(project, capacity=1)
    first, second = volunteer(tenant), volunteer(tenant)
    url = f"/api/v1/t/{tenant.slug}/shifts/{row.id}/signup"
    assert client.post(url, headers=auth(first)).get_json()["status"] == "confirmed"
    again = client.post(url, headers=auth(first))
    assert again.status_code == 409 and again.get_json()["message"] == "您已经报过名了：名额已确认。"
    waiting = client.post(url, headers=auth(second)).get_json()
    assert (waiting["status"], waiting["position"]) == ("waitlisted", 1)
    assert client.delete(url, headers=auth(first)).get_json()["status"] == "cancelled"
    mine = client.get(f"/api/v1/t/{tenant.slug}/my/signups", headers=auth(second)).get_json()
    assert [(s["shift_id"], s["status"]) for s in mine["shifts"]] == [(row.id, "confirmed")]


def test_other_organizations_cannot_change_a_project(client, db):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id), name="原名")
    stranger = user_with(tenant, Role.ORG_ADMIN, OrgFactory(tenant_id=tenant.id))
    response = client.patch(f"/api/v1/t/{tenant.slug}/projects/{project.id}", headers=auth(stranger),
                            json={"name": "改名", "category": "助老服务"})
    assert response.status_code == 403
    assert db.session.scalar(select(Project.name)) == "原名"


def test_openapi_documents_the_marketplace(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/t/{tenant}/organizations", "/api/v1/t/{tenant}/projects",
                 "/api/v1/t/{tenant}/shifts/{shift_id}/signup", "/api/v1/t/{tenant}/slots/{slot_id}/booking",
                 "/api/v1/t/{tenant}/organizations/{org_id}/verification", "/api/v1/t/{tenant}/my/signups"):
        assert path in paths, path
    assert set(paths["/api/v1/t/{tenant}/projects/{project_id}"]) >= {"get", "patch"}


