"""The rq worker: each job runs in a fresh app context with its own session."""

from __future__ import annotations

from flask import Flask
from rq import SimpleWorker


class AppWorker(SimpleWorker):
    """Runs jobs in-process (no fork) inside an app context of ``app``."""

    app: Flask
    #: How long the command listener's thread waits before it looks again. rq waits a minute;
    #: but redis-py's ``stop()`` waits for the thread, and a thread that has just seen the
    #: channel close waits that long for a subscription that never comes: every worker,
    #: burst or not, would take up to a minute to exit.
    LISTEN_SECONDS = 1

    def subscribe(self):
        """rq's own, with the listener looking again every ``LISTEN_SECONDS``."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=self.LISTEN_SECONDS, daemon=True,
            exception_handler=self._pubsub_exception_handler)

    def perform_job(self, job, queue, *args, **kwargs):
        with self.app.app_context():
            from app.extensions import db

            try:
                return super().perform_job(job, queue, *args, **kwargs)
            finally:
                db.session.remove()


def run(app: Flask, queues: list[str], burst: bool = False) -> bool:
    from workers.queue import get_queue, redis_connection

    with app.app_context():
        connection = redis_connection()
        if connection is None:
            raise RuntimeError("REDIS_URL is not set: jobs run inline, no worker is needed")
        worker = AppWorker([get_queue(q) for q in queues], connection=connection)
    worker.app = app
    return worker.work(burst=burst, with_scheduler=True)
