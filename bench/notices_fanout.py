"""Benchmark: a community notice to 100,000 residents.

Makes a throwaway database migrated to head (PostgreSQL by default) with a district of one
street and 20 communities and N residents on the roll (2% stopped community notices, 5% not
online with a contact number, 5% asked for text messages: about 10% reached by text
message), then, each in a fresh process so its peak memory (max RSS) is its own:

- ``baseline``: plainly inserting N inbox rows, in batches of the same size, one commit per
  batch (the floor: what writing the messages costs at all);
- ``notice``: the count shown on the confirmation page, then the notice composed and sent as
  its job does it, timed in two halves: the batches by person (inbox messages, each batch
  committed with the notice's counts and cursor), then the text-message copies through the
  logging gateway (each committed once sent, so a retry never sends one twice);
- ``again``: the job run once more after it finished (a retry): nothing is added.

Prints ``name: value unit`` lines, with the machine's load average (the figures depend on it).

    python bench/notices_fanout.py [--residents 100000] [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from _setup import ROOT, make_app, throwaway_database

COMMUNITIES = 20
CHUNK = 5000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(url: str, tmp: Path, count: int) -> dict:
    """The district, its areas, a bureau officer and ``count`` residents on the roll."""
    from sqlalchemy import insert

    from app.auth.models import Role, RoleGrant, User
    from app.extensions import db
    from app.notices.models import NoticeChoice
    from app.residents.models import ResidentProfile
    from app.tenancy.models import Tenant
    from app.tenancy.services import add_area

    app = make_app(url, tmp)
    with app.app_context():
        tenant = Tenant(slug="bench", name="基准区民政局", settings={})
        db.session.add(tenant)
        db.session.flush()
        street = add_area(tenant, "东湖街道", "街道")
        communities = [add_area(tenant, f"社区{i}", "社区", street) for i in range(COMMUNITIES)]
        officer = User(name="王科长", email="bench-officer@example.cn", password_hash="!")
        db.session.add(officer)
        db.session.flush()
        db.session.add(RoleGrant(user_id=officer.id, tenant_id=tenant.id,
                                 role=Role.BUREAU_OFFICER.value))
        db.session.commit()
        first = officer.id + 1
        for start in range(0, count, CHUNK):
            ids = range(first + start, first + min(start + CHUNK, count))
            offline = {i for i in ids if i % 20 == 0}
            db.session.execute(insert(User), [
                {"id": i, "name": f"居民{i}", "password_hash": "!", "offline": i in offline,
                 "phone": None if i in offline else f"139{i:08d}", "sms": i % 20 == 1}
                for i in ids])
            db.session.execute(insert(RoleGrant), [
                {"user_id": i, "tenant_id": tenant.id, "role": Role.RESIDENT.value}
                for i in ids])
            db.session.execute(insert(ResidentProfile), [
                {"tenant_id": tenant.id, "user_id": i,
                 "area_id": communities[i % COMMUNITIES].id,
                 "target_group": "独居老人" if i % 3 == 0 else "社区居民",
                 "contact_phone": f"137{i:08d}" if i in offline else None} for i in ids])
            db.session.execute(insert(NoticeChoice), [
                {"tenant_id": tenant.id, "user_id": i, "receives": False, "how": "self",
                 "changed_at": officer.created_at} for i in ids if i % 50 == 7])
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SELECT setval(pg_get_serial_sequence('user', 'id'), "
                                       "(SELECT max(id) FROM \"user\"))"))
            db.session.commit()
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        return {"tenant_id": tenant.id, "officer_id": officer.id, "street_id": street.id}


def baseline(url: str, tmp: str, count: int, tenant_id: int, officer_id: int) -> dict:
    """Plain inserts of ``count`` inbox rows in batches, then removed again."""
    from sqlalchemy import delete, insert

    from app.db import utcnow
    from app.extensions import db
    from app.notices.fanout import BATCH
    from app.notifications.models import Notification

    app = make_app(url, Path(tmp))
    with app.app_context():
        idle = _peak_mib()
        now = utcnow()
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            db.session.execute(insert(Notification), [
                {"user_id": officer_id, "tenant_id": tenant_id, "title": "免费体检",
                 "body": "周五上午九点，社区卫生站为居民免费体检，请带身份证。", "kind": "bench",
                 "subject_id": 0, "email_status": "none", "sms_status": "none",
                 "created_at": now} for _ in range(start, min(start + BATCH, count))])
            db.session.commit()
        seconds = time.perf_counter() - started
        db.session.execute(delete(Notification).where(Notification.kind == "bench"))
        db.session.commit()
        return {"seconds": seconds, "idle_mib": idle, "peak_mib": _peak_mib()}


def notice(url: str, tmp: str, tenant_id: int, officer_id: int, street_id: int) -> dict:
    from sqlalchemy import func, select

    from app.auth.models import User
    from app.extensions import db
    from app.notices import audience, fanout, services
    from app.notifications.models import Notification
    from app.tenancy.models import Area, Tenant
    from workers.notices import send_copies

    app = make_app(url, Path(tmp))
    with app.app_context(), app.test_request_context():
        tenant, officer = db.session.get(Tenant, tenant_id), db.session.get(User, officer_id)
        street = db.session.get(Area, street_id)
        idle = _peak_mib()
        started = time.perf_counter()
        reach = audience.count(tenant.id, street)
        counted = time.perf_counter() - started
        started = time.perf_counter()
        sent = services.compose(tenant, officer, area=street, group="", title="免费体检",
                                body="周五上午九点，社区卫生站为居民免费体检，请带身份证。")
        db.session.commit()
        # The job the commit queued, run here in its two timed halves: the notice's own
        # batches (inbox messages, counts, cursor), then the text-message copies.
        db.session().info.clear()
        sms_ids: list[int] = []
        while True:
            finished, by_sms, _by_email = fanout.send_batch(sent.id)
            db.session.commit()
            sms_ids += by_sms
            if finished:
                break
        inbox_seconds = time.perf_counter() - started
        started = time.perf_counter()
        send_copies(sms_ids, [])
        copies_seconds = time.perf_counter() - started
        seconds = inbox_seconds + copies_seconds
        db.session.refresh(sent)
        texts = db.session.scalar(select(func.count(Notification.id)).where(
            Notification.subject_id == sent.id, Notification.sms_status == "logged"))
        return {"count_seconds": counted, "seconds": seconds, "inbox_seconds": inbox_seconds,
                "copies_seconds": copies_seconds, "idle_mib": idle,
                "peak_mib": _peak_mib(), "reach": [reach.reached, reach.by_sms, reach.opted_out],
                "reached": sent.reached, "by_sms": sent.by_sms, "opted_out": sent.opted_out,
                "texts_logged": texts, "notice_id": sent.id}


def again(url: str, tmp: str, notice_id: int) -> dict:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.notifications.models import Notification
    from workers.notices import send_notice

    app = make_app(url, Path(tmp))
    with app.app_context():
        def messages() -> int:
            return db.session.scalar(select(func.count(Notification.id)).where(
                Notification.subject_id == notice_id, Notification.kind == "community_notice"))

        before = messages()
        started = time.perf_counter()
        send_notice(notice_id)
        return {"seconds": time.perf_counter() - started, "added": messages() - before}


def run(step: str, *args) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--step", step, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--step")
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    if args.step:
        step = {"prepare": lambda u, t, n: prepare(u, Path(t), int(n)),
                "baseline": lambda u, t, n, tid, oid: baseline(u, t, int(n), int(tid), int(oid)),
                "notice": lambda u, t, tid, oid, sid: notice(u, t, int(tid), int(oid), int(sid)),
                "again": lambda u, t, nid: again(u, t, int(nid))}[args.step]
        print(json.dumps(step(*args.rest)))
        return
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_cpus: {os.cpu_count()} cores")
    print(f"machine_load_average_1_5_15_before: {load} runnable")
    print(f"notices_backend: {args.backend} -")
    with throwaway_database(args.backend) as (url, tmp):
        started = time.perf_counter()
        world = run("prepare", url, tmp, args.residents)
        print(f"notices_residents_on_roll: {args.residents} residents")
        print(f"notices_setup_time: {time.perf_counter() - started:.1f} s")
        floor = run("baseline", url, tmp, args.residents, world["tenant_id"],
                    world["officer_id"])
        print(f"notices_baseline_insert_time: {floor['seconds']:.2f} s")
        print(f"notices_baseline_peak_memory: {floor['peak_mib']:.0f} MiB")
        print(f"notices_baseline_peak_above_idle: {floor['peak_mib'] - floor['idle_mib']:.0f} MiB")
        sent = run("notice", url, tmp, world["tenant_id"], world["officer_id"],
                   world["street_id"])
        print(f"notices_confirmation_count_time: {sent['count_seconds'] * 1000:.0f} ms")
        print(f"notices_reached: {sent['reached']} residents")
        print(f"notices_by_sms: {sent['by_sms']} residents")
        print(f"notices_texts_logged: {sent['texts_logged']} messages")
        print(f"notices_opted_out_skipped: {sent['opted_out']} residents")
        print(f"notices_count_matches_sent: {int(sent['reach'] == [sent['reached'], sent['by_sms'], sent['opted_out']])} bool")
        print(f"notices_inbox_time: {sent['inbox_seconds']:.2f} s")
        print(f"notices_inbox_per_second: {sent['reached'] / sent['inbox_seconds']:.0f} residents/s")
        print(f"notices_text_copies_time: {sent['copies_seconds']:.2f} s")
        print(f"notices_send_time: {sent['seconds']:.2f} s")
        print(f"notices_send_peak_memory: {sent['peak_mib']:.0f} MiB")
        print(f"notices_send_peak_above_idle: {sent['peak_mib'] - sent['idle_mib']:.0f} MiB")
        print(f"notices_inbox_vs_baseline: {sent['inbox_seconds'] / floor['seconds']:.1f} ratio")
        print(f"notices_send_vs_baseline: {sent['seconds'] / floor['seconds']:.1f} ratio")
        rerun = run("again", url, tmp, sent["notice_id"])
        print(f"notices_rerun_time: {rerun['seconds'] * 1000:.0f} ms")
        print(f"notices_rerun_added: {rerun['added']} messages")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine_load_average_1_5_15_after: {load} runnable")


if __name__ == "__main__":
    main()
