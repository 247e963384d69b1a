"""Running work at once from several threads, each with its own app context, session and
connection, with real commits (use with the ``committed`` fixture)."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_together(app, jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in its own thread and app context (own session, own connection), all
    released at once, and commit after it; returns what each returned or raised."""
    from app.db_commit import commit
    from app.extensions import db

    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(i: int, job) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = job()
                commit()
            except Exception as exc:  # the assertion below says which
                db.session.rollback()
                results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def outcome(response_or_error) -> str:
    """A request's outcome in a word: its status code, or the exception it raised."""
    if isinstance(response_or_error, Exception):
        return type(response_or_error).__name__
    return str(response_or_error.status_code)
