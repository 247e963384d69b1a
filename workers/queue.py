"""Queue factory and ``enqueue_after_commit``.

With ``REDIS_URL`` set, jobs go to rq queues; without it (the embedded default),
they run inline right after the commit, in the same app context, so the app
works on a bare machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

QUEUES = ("ledger", "default", "exports")
_PENDING = "gz_pending_jobs"
_READY = "gz_ready_jobs"
BACKOFF = [5, 30, 120, 600]


@dataclass
class JobSpec:
    func: Any
    args: tuple
    kwargs: dict
    queue: str = "default"
    retry: int = 0
    job_id: str | None = None
    coalesce: str | None = None


def redis_connection():
    """The app's Redis client, created on first use (never at import)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("gz_redis")
    if client is None:
        from redis import Redis

        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        current_app.extensions["gz_redis"] = client
    return client


def queue_name(name: str) -> str:
    return current_app.config.get("RQ_QUEUE_PREFIX", "") + name


def get_queue(name: str = "default"):
    from rq import Queue

    return Queue(queue_name(name), connection=redis_connection())


def is_inline() -> bool:
    return bool(current_app.config.get("JOBS_INLINE"))


def enqueue_after_commit(func, *args, queue: str = "default", retry: int = 0,
                         job_id: str | None = None, coalesce: str | None = None, **kwargs) -> None:
    """Queue ``func(*args, **kwargs)`` to run once the current transaction commits.

    A rollback discards it. ``retry`` is the number of retries with backoff.
    ``coalesce`` names a job that does all of its pending work whenever it runs (sealing
    the audit log): it is queued to run ``COALESCE_DELAY`` seconds later, and while it
    waits no second one is queued, so a busy minute costs a few jobs, not one per commit.
    The job calls ``coalesced(name)`` before it starts its work.
    """
    from app.extensions import db

    db.session().info.setdefault(_PENDING, []).append(
        JobSpec(func, args, kwargs, queue=queue, retry=retry, job_id=job_id, coalesce=coalesce))


COALESCE_DELAY = 2  # seconds
COALESCE_TTL = 600  # seconds: a lost job holds back the next one at most this long


def _coalesce_key(name: str) -> str:
    return f"{current_app.config.get('RQ_QUEUE_PREFIX', '')}gz:queued:{name}"


def coalesced(name: str) -> None:
    """Called by a coalesced job as it starts: work committed from now on queues a new job."""
    if not is_inline() and (connection := redis_connection()) is not None:
        connection.delete(_coalesce_key(name))


def enqueue_now(spec: JobSpec):
    """Send one job to Redis (or run it inline). Returns the rq job, or None inline."""
    if is_inline():
        _run_inline(spec)
        return None
    if spec.coalesce:
        key = _coalesce_key(spec.coalesce)
        if not redis_connection().set(key, 1, nx=True, ex=COALESCE_TTL):
            return None  # one is already waiting; it will do this work too
        try:
            return _send(spec, delay=COALESCE_DELAY)
        except Exception:
            redis_connection().delete(key)
            raise
    return _send(spec)


def _send(spec: JobSpec, delay: int = 0):
    from rq import Retry

    retry = Retry(max=spec.retry, interval=BACKOFF[: spec.retry]) if spec.retry else None
    queue = get_queue(spec.queue)
    if delay:
        return queue.enqueue_in(timedelta(seconds=delay), spec.func, *spec.args, retry=retry,
                                job_id=spec.job_id, **spec.kwargs)
    return queue.enqueue(spec.func, *spec.args, retry=retry, job_id=spec.job_id, **spec.kwargs)


def enqueue(func, *args, queue: str = "default", retry: int = 0, job_id: str | None = None,
            **kwargs):
    """Queue a job now, for work that needs no commit first (CLI, schedulers)."""
    return enqueue_now(JobSpec(func, args, kwargs, queue=queue, retry=retry, job_id=job_id))


def _run_inline(spec: JobSpec) -> None:
    try:
        spec.func(*spec.args, **spec.kwargs)
    except Exception:
        log.exception("inline job %s failed", getattr(spec.func, "__name__", spec.func))
        from app.extensions import db

        db.session.rollback()
        if current_app.config.get("JOBS_INLINE_RAISE"):
            raise


def dispatch_committed() -> None:
    """Hand over every job whose transaction has committed."""
    from app.extensions import db

    info = db.session().info
    while info.get(_READY):
        spec = info[_READY].pop(0)
        try:
            enqueue_now(spec)
        except Exception:
            # Redis unreachable: never silent. The job's own rows (outbox, inbox)
            # stay pending and the periodic sweep sends them again.
            log.exception("could not enqueue %s", getattr(spec.func, "__name__", spec.func))
            if current_app.config.get("JOBS_INLINE_RAISE"):
                raise


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_READY, []).extend(pending)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def init_app(app: Flask) -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)

    @app.after_request
    def _dispatch(response):
        # Safety net for views that committed without ``commit()``.
        dispatch_committed()
        return response
