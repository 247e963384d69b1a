"""Jobs: inline without Redis, through a real Redis and a real worker with it."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.auth.models import User
from app.db_commit import commit
from app.notifications.models import Notification
from app.notifications.services import notify
from tests.factories import UserFactory


def test_inline_job_runs_after_commit(app, db, caplog):
    caplog.set_level("INFO")
    user = UserFactory(email="zhang@example.com")
    note = notify(user, "项目已发布")
    assert note.email_status == "pending"
    commit()
    db.session.refresh(note)
    assert note.email_status == "logged"
    assert "z***@example.com" in caplog.text and "zhang@example.com" not in caplog.text


def test_rolled_back_job_never_runs(app, db):
    user = UserFactory(email="li@example.com")
    notify(user, "不会发送")
    db.session.rollback()
    commit()
    assert db.session.scalar(select(Notification)) is None


def test_notification_is_written_in_the_recipients_language(app, db):
    from flask_babel import lazy_gettext as _l

    english = UserFactory(locale="en")
    chinese = UserFactory()
    with app.test_request_context("/lang/en"):
        a = notify(english, _l("Please sign in first."), email=False)
        b = notify(chinese, _l("Please sign in first."), email=False)
    assert a.title == "Please sign in first."
    assert b.title == "请先登录。"


def test_job_through_real_redis_and_worker(app, redis_url, committed_redis_app):
    """Enqueued after commit into Redis, executed by a real rq worker in burst mode."""
    worker_app, prefix = committed_redis_app
    from app.extensions import db as _db
    from workers import worker

    with worker_app.app_context():
        user = User(phone="13911119999", name="Redis", password_hash="x", email="r@example.com")
        _db.session.add(user)
        _db.session.flush()
        note = notify(user, "经由 Redis")
        commit()
        note_id = note.id
        from workers.queue import get_queue

        queued = [job.func_name for job in get_queue("default").jobs]
        assert queued.count("workers.notifications.deliver_email") == 1
        assert _db.session.get(Notification, note_id).email_status == "pending"
    worker.run(worker_app, ["default"], burst=True)
    with worker_app.app_context():
        assert _db.session.get(Notification, note_id).email_status == "logged"
        from workers.queue import get_queue

        assert get_queue("default").count == 0
        assert len(get_queue("default").failed_job_registry) == 0


def test_failing_job_is_retried_with_backoff(app, redis_url, committed_redis_app):
    worker_app, prefix = committed_redis_app
    from workers.queue import enqueue

    with worker_app.app_context():
        job = enqueue(_always_fails, queue="default", retry=2, job_id=f"fail-{uuid.uuid4().hex}")
        assert job.retries_left == 2
        assert job.retry_intervals == [5, 30]


def _always_fails():
    raise RuntimeError("always")


def test_audit_seal_is_coalesced(app, redis_url, committed_redis_app):
    """Many commits that write to the audit log schedule one seal job, a little later; once
    that job starts, the next commit schedules a new one. The seal then chains them all."""
    worker_app, prefix = committed_redis_app
    from app.audit import chain
    from app.extensions import db as _db
    from workers.audit import SEAL, seal
    from workers.queue import coalesced, get_queue

    def commit_a_change(n: int) -> None:
        _db.session.add(User(phone=f"1391111{n:04d}", name=f"封存{n}", password_hash="x"))
        commit()

    with worker_app.app_context():
        queue = get_queue("default")
        for n in range(3):
            commit_a_change(n)
        scheduled = queue.scheduled_job_registry.get_job_ids()
        assert len(scheduled) == 1
        assert queue.fetch_job(scheduled[0]).func_name == "workers.audit.seal"
        assert queue.count == 0  # not run at once: it waits to take more with it

        coalesced(SEAL)  # what the job does first when it starts
        commit_a_change(3)
        assert len(queue.scheduled_job_registry.get_job_ids()) == 2

        assert seal() >= 4
        assert chain.verify().ok and chain.verify().unsealed == 0


def test_every_periodic_job_runs_through_the_worker(app, redis_url, committed_redis_app):
    """The cron schedule queues real jobs: each, once due, runs in a worker without failing,
    and the per-tenant ones fan out to every tenant."""
    from collections import Counter
    from datetime import UTC, datetime, timedelta

    from rq.cron import CronJob

    from workers import worker
    from workers.periodic import SCHEDULE, scheduler
    from workers.queue import QUEUES, get_queue, redis_connection

    worker_app, prefix = committed_redis_app
    with worker_app.app_context():
        from app.db_commit import commit
        from app.tenancy.services import create_tenant

        create_tenant("cron-a", "甲区民政局")
        create_tenant("cron-b", "乙区民政局")
        commit()
        cron = scheduler(redis_connection())
        jobs: list[CronJob] = cron.get_jobs()
        assert {j.name for j in jobs} == {p.func for p in SCHEDULE}
        assert all(j.queue_name.startswith(prefix) for j in jobs)
        for job in jobs:  # all due now
            job.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)
        assert len(cron.enqueue_jobs()) == len(SCHEDULE)

    worker.run(worker_app, list(QUEUES), burst=True)  # the fan-outs queue per-tenant jobs
    worker.run(worker_app, list(QUEUES), burst=True)
    with worker_app.app_context():
        failed = [job_id for q in QUEUES for job_id in get_queue(q).failed_job_registry.get_job_ids()]
        assert failed == []
        ran = Counter(get_queue(q).fetch_job(job_id).func_name for q in QUEUES
                      for job_id in get_queue(q).finished_job_registry.get_job_ids())
        per_tenant = [p.func for p in SCHEDULE if p.per_tenant]
        assert ran["workers.periodic.for_every_tenant"] == len(per_tenant)
        for func in per_tenant:
            assert ran[func] == 2, func  # one job for each tenant
        for func in (p.func for p in SCHEDULE if not p.per_tenant):
            assert ran[func] >= 1, func  # (the audit seal may also have run for the commits)


def test_a_worker_stops_within_seconds_of_its_last_job(app, redis_url, committed_redis_app):
    """A worker listens for commands (rq's shutdown, kill) on a channel in a thread, and waits
    for that thread when it stops. The thread may have just seen the channel close and gone
    back to waiting for a subscription: it must look again within a second, not a minute."""
    import time

    from workers.queue import get_queue, redis_connection
    from workers.worker import AppWorker

    worker_app, _prefix = committed_redis_app
    with worker_app.app_context():
        listener = AppWorker([get_queue("default")], connection=redis_connection())
    listener.subscribe()
    listener.pubsub.unsubscribe()
    waited = time.monotonic() + 10
    while listener.pubsub.subscribed and time.monotonic() < waited:  # the thread saw it
        time.sleep(0.01)
    assert not listener.pubsub.subscribed
    started = time.monotonic()
    listener.unsubscribe()  # what the worker's teardown does
    assert time.monotonic() - started < 3
    assert not listener.pubsub_thread.is_alive()
