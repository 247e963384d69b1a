"""Many volunteers and service records written in bulk (not one factory per row), for the
national system's round trip and its benchmark."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import insert, select
from stdnum.cn import ric

from app.db import utcnow
from app.extensions import db
from app.imports import writes
from app.service.models import ServiceRecord
from app.volunteers.models import VolunteerProfile

PLACES = ["幸福社区活动室", "阳光社区广场", "东街道老年食堂"]
ACTIVITIES = ["重阳节探访", "社区义诊", "垃圾分类宣传", "四点半课堂"]


def id_number(i: int) -> str:
    born = date(1960, 1, 1) + timedelta(days=i)
    base = f"110101{born:%Y%m%d}{i % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")  # it reads the first 17 of 18


def volunteers(tenant, count: int, phone_prefix: str = "1390") -> list[int]:
    """``count`` volunteers (accounts, roles and records); their user ids in order."""
    now = utcnow()
    rows = []
    for i in range(count):
        number = id_number(i)
        rows.append({"real_name": f"志愿者{i:05d}", "id_number": number, "phone":
                     f"{phone_prefix}{i:07d}", "gender": "M" if int(number[16]) % 2 else "F",
                     "birth_date": date(int(number[6:10]), int(number[10:12]),
                                        int(number[12:14])),
                     "area": None, "skills": "急救" if i % 3 == 0 else "",
                     "categories": ["助老服务"] if i % 2 else []})
    writes.volunteers(tenant.id, rows, now)
    numbers = [r["id_number"] for r in rows]
    found = dict(db.session.execute(select(VolunteerProfile.id_number, VolunteerProfile.user_id)
                                    .where(VolunteerProfile.tenant_id == tenant.id)).all())
    return [found[n] for n in numbers]


def records(tenant, org, user_ids: list[int], count: int, verifier_id: int) -> None:
    """``count`` verified records spread over the volunteers, on distinct days each."""
    now = utcnow()
    rows = []
    start = date(2024, 1, 1)
    for i in range(count):
        minutes = 30 + (i * 7) % 300
        rows.append({
            "tenant_id": tenant.id, "org_id": org.id, "shift_id": None,
            "user_id": user_ids[i % len(user_ids)],
            "activity_name": ACTIVITIES[i % len(ACTIVITIES)],
            "activity_date": start + timedelta(days=i // len(user_ids)),
            "place": PLACES[i % len(PLACES)], "content": f"第{i}次服务" if i % 5 else "",
            "category": "助老服务" if i % 2 else "", "organizing_unit": org.name,
            "leader_name": "李记录" if i % 4 else "", "scheduled_minutes": minutes,
            "checked_in_at": None, "checked_out_at": None, "minutes": minutes,
            "method": "import", "status": "verified", "is_late": False, "verified_at": now,
            "verified_by_id": verifier_id, "marked_by_id": None, "checkin_ref": None,
            "checkout_ref": None, "points": 0, "source": "", "source_key": None,
            "created_at": now})
    for part in range(0, len(rows), 2000):
        db.session.execute(insert(ServiceRecord.__table__), rows[part:part + 2000])


def snapshot(tenant) -> Counter:
    """Every verified record's 67号令 fields with the volunteer's ID number, counted."""
    r, p = ServiceRecord, VolunteerProfile
    return Counter(db.session.execute(
        select(p.id_number, r.activity_date, r.activity_name, r.minutes, r.place, r.content,
               r.category, r.organizing_unit, r.leader_name, r.org_id)
        .join(p, (p.user_id == r.user_id) & (p.tenant_id == r.tenant_id))
        .where(r.tenant_id == tenant.id, r.status == "verified")).tuples())
