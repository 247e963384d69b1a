"""The community group API: a group applies with its filing document, its sponsor answers,
the incubator moves it through its stages with milestones and training records, and lists its
groups; the same permissions as the pages (strangers 403/404, nothing leaked); every grassroots
operation survives the fuzzer as every role."""

from __future__ import annotations

import io
from datetime import timedelta

from app.auth.models import Role
from app.auth.services import issue_api_token
from app.grassroots import filing
from app.parsing import local_today
from tests.factories import OrgFactory, UserFactory, user_with
from tests.grassroots.factories import DOCUMENT, group_world, register, verified_group


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user, 'test')}"}


def _application(w, **changes) -> dict:
    form = {"name": "幸福社区银龄合唱队", "kind": w.tenant.setting("org_kinds")[0],
            "legal_representative": "周玉梅", "contact_name": "周玉梅",
            "contact_phone": "13700002001", "number": "东湖社备〔2026〕031号",
            "filed_with_id": str(w.community.id), "sponsor_id": str(w.hub.id),
            "filed_on": (local_today() - timedelta(days=3)).isoformat(),
            "document": (io.BytesIO(DOCUMENT), "备案证明.pdf")}
    form.update(changes)
    return form


def test_a_group_applies_its_sponsor_confirms_and_the_incubator_nurtures_it(client, db):
    w = group_world()
    base = f"/api/v1/t/{w.tenant.slug}/grassroots"
    leader = UserFactory(name="周玉梅")
    r = client.post(f"{base}/groups", headers=bearer(leader), data=_application(w),
                    content_type="multipart/form-data")
    assert r.status_code == 201, r.json
    group = r.json
    assert (group["standing"], group["status"], group["sponsor"]) == (
        "filed", "pending", "东湖街道社区社会组织服务中心")
    assert group["filing"]["sponsor_status"] == "pending" and group["stage"] is None
    # The same filing number twice is refused in words.
    again = client.post(f"{base}/groups", headers=bearer(UserFactory()),
                        data=_application(w, name="另一支队伍"),
                        content_type="multipart/form-data")
    assert again.status_code == 422 and "备案编号" in again.json["message"]

    # Only the sponsor's admin answers; the group's own leader cannot confirm itself.
    answer = f"{base}/sponsorships/{group['id']}"
    assert client.post(answer, headers=bearer(leader),
                       json={"decision": "confirm"}).status_code == 403
    assert client.post(answer, headers=bearer(w.hub_coordinator),
                       json={"decision": "confirm"}).status_code == 403
    r = client.post(answer, headers=bearer(w.hub_admin), json={"decision": "confirm"})
    assert r.status_code == 200, r.json
    assert (r.json["filing"]["sponsor_status"], r.json["stage"]) == ("confirmed", "admitted")
    assert client.post(answer, headers=bearer(w.hub_admin),
                       json={"decision": "decline", "note": "晚了"}).status_code == 422

    gid, coordinator = group["id"], w.hub_coordinator
    today = local_today().isoformat()
    r = client.post(f"{base}/groups/{gid}/milestones", headers=bearer(coordinator),
                    json={"title": "制定章程", "due_on": (local_today() + timedelta(days=30))
                          .isoformat()})
    assert r.status_code == 201, r.json
    milestone = r.json["id"]
    # The group's leader may not set its own milestones or training, nor move its stage.
    assert client.post(f"{base}/groups/{gid}/milestones", headers=bearer(leader),
                       json={"title": "x", "due_on": today}).status_code == 403
    assert client.post(f"{base}/groups/{gid}/moves", headers=bearer(leader),
                       json={"moved_on": today, "note": "x"}).status_code == 403
    r = client.post(f"{base}/groups/{gid}/moves", headers=bearer(coordinator),
                    json={"moved_on": today, "note": "章程初稿已成"})
    assert r.status_code == 201 and r.json["to_stage"] == "nurturing"
    # Graduation waits for the open milestone.
    r = client.post(f"{base}/groups/{gid}/moves", headers=bearer(coordinator),
                    json={"moved_on": today, "note": "出壳"})
    assert r.status_code == 422 and "制定章程" in r.json["message"]
    # The group's own leader marks its milestone done.
    r = client.post(f"{base}/milestones/{milestone}/done", headers=bearer(leader),
                    json={"done_on": today, "evidence": "章程经成员大会通过"})
    assert r.status_code == 200 and r.json["done_on"] == today
    r = client.post(f"{base}/groups/{gid}/trainings", headers=bearer(coordinator),
                    json={"person": "周玉梅", "course": "社区社会组织财务入门", "minutes": 180,
                          "trained_on": today})
    assert r.status_code == 201 and r.json["minutes"] == 180
    assert client.post(f"{base}/groups/{gid}/trainings", headers=bearer(coordinator),
                       json={"person": "周玉梅", "course": "x", "minutes": 0,
                             "trained_on": today}).status_code == 422

    shown = client.get(f"{base}/groups/{gid}", headers=bearer(w.officer)).json
    assert shown["stage"] == "nurturing" and [m["title"] for m in shown["milestones"]] == ["制定章程"]
    assert [t["course"] for t in shown["trainings"]] == ["社区社会组织财务入门"]
    listed = client.get(f"{base}/incubators/{w.hub.id}", headers=bearer(coordinator)).json
    assert [(g["name"], g["stage"], g["training_minutes"]) for g in listed["groups"]] == [
        ("幸福社区银龄合唱队", "nurturing", 180)]


def test_a_sponsor_declines_with_a_note_and_strangers_see_nothing(client, db):
    w = group_world()
    base = f"/api/v1/t/{w.tenant.slug}/grassroots"
    group, leader = register(w)
    pending = client.get(f"{base}/incubators/{w.hub.id}", headers=bearer(w.hub_admin)).json
    assert pending == {"groups": [], "awaiting_sponsor": ["幸福社区银龄合唱队"]}
    answer = f"{base}/sponsorships/{group.id}"
    r = client.post(answer, headers=bearer(w.hub_admin), json={"decision": "decline"})
    assert r.status_code == 422 and "原因" in r.json["message"]
    r = client.post(answer, headers=bearer(w.hub_admin),
                    json={"decision": "decline", "note": "本中心今年名额已满"})
    assert r.status_code == 200 and r.json["filing"]["sponsor_note"] == "本中心今年名额已满"
    assert client.get(f"{base}/groups/{group.id}", headers=bearer(leader)).status_code == 200

    other, _ = verified_group(w, name="东湖舞蹈队")
    stranger_org = OrgFactory(tenant_id=w.tenant.id, name="别家社工站")
    stranger = user_with(w.tenant, Role.ORG_ADMIN, stranger_org)
    for url in (f"{base}/groups/{other.id}", f"{base}/incubators/{w.hub.id}"):
        r = client.get(url, headers=bearer(stranger))
        assert r.status_code == 403 and "东湖舞蹈队" not in r.get_data(as_text=True)
    assert client.post(f"{base}/groups/{other.id}/trainings", headers=bearer(stranger),
                       json={"person": "x", "course": "x", "minutes": 5,
                             "trained_on": local_today().isoformat()}).status_code == 403
    # Another district's people get nothing of this one.
    elsewhere = group_world()
    outsider = elsewhere.hub_admin
    assert client.get(f"{base}/groups/{other.id}", headers=bearer(outsider)).status_code in (
        403, 404)
    assert filing.filing_of(other).sponsor_status == "confirmed"


def test_every_grassroots_operation_survives_the_fuzzer(app, db):
    from tests.api.fuzzing import api_operations, fuzz, role_headers
    from tests.factories import build_world

    world = build_world()
    operations = [op for op in api_operations(app) if "/grassroots/" in op.path]
    assert len(operations) >= 8
    findings = [f for op in operations
                for f in fuzz(app, op, role_headers(world), world.a.tenant.slug, examples=8)]
    assert findings == [], "\n\n".join(map(str, findings))
