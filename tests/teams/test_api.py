"""The team API: the leader adds people and signs the team up (all or none: 409 with how many
places are left), the coordinator records hours; strangers get 403/404; every team operation
survives the fuzzer as every role."""

from __future__ import annotations

from datetime import timedelta

from app.auth.services import issue_api_token
from app.db import utcnow
from app.teams import signups
from tests.factories import build_world
from tests.projects.factories import volunteer
from tests.teams.factories import team_scene


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_api_token(user, 'test')}"}


def test_the_leader_signs_the_team_up_and_the_coordinator_records_hours(client, db):
    s = team_scene(capacity=3, registered=1, named=2)
    base = f"/api/v1/t/{s.tenant.slug}"
    r = client.post(f"{base}/teams/{s.team.id}/members", headers=bearer(s.leader),
                    json={"kind": "named", "name": "孙阿姨", "phone": "13912340000"})
    assert r.status_code == 201 and r.json["phone"] == "139****0000"
    roster = client.get(f"{base}/teams/{s.team.id}", headers=bearer(s.leader)).json["members"]
    assert len(roster) == 5
    r = client.post(f"{base}/teams/{s.team.id}/signups", headers=bearer(s.leader),
                    json={"shift_id": s.shift.id, "member_ids": [m["id"] for m in roster]})
    assert r.status_code == 409 and s.shift.confirmed_count == 0
    r = client.post(f"{base}/teams/{s.team.id}/signups", headers=bearer(s.leader),
                    json={"shift_id": s.shift.id, "member_ids": [m["id"] for m in roster[:3]]})
    assert r.status_code == 201 and s.shift.confirmed_count == 3
    row_id = r.json["id"]
    stranger = volunteer(s.tenant)
    assert client.get(f"{base}/teams/{s.team.id}", headers=bearer(stranger)).status_code == 403
    assert client.post(f"{base}/team-signups/{row_id}/cancel",
                       headers=bearer(stranger)).status_code == 403
    s.shift.starts_at = utcnow() - timedelta(hours=3)
    s.shift.ends_at = s.shift.starts_at + timedelta(hours=2)
    db.session.flush()
    places = client.get(f"{base}/team-signups/{row_id}", headers=bearer(s.coordinator)).json["places"]
    r = client.post(f"{base}/team-signups/{row_id}/hours", headers=bearer(s.coordinator),
                    json={"entries": [{"place_id": p["id"]} for p in places]})
    assert r.status_code == 201 and [p["minutes"] for p in r.json["places"]] == [120, 120, 120]
    assert client.post(f"{base}/team-signups/{row_id}/hours", headers=bearer(s.leader),
                       json={"entries": [{"place_id": places[0]["id"]}]}).status_code == 403


def test_every_team_operation_survives_the_fuzzer(app, db):
    from tests.api.fuzzing import api_operations, fuzz, role_headers

    world = build_world()
    s = team_scene()
    signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.named])
    operations = [op for op in api_operations(app) if "team" in op.path]
    assert len(operations) >= 6
    findings = [f for op in operations
                for f in fuzz(app, op, role_headers(world), world.a.tenant.slug, examples=8)]
    assert findings == [], "\n\n".join(map(str, findings))
