"""Jobs of community notices: send one in batches, then its text-message and email copies."""

from __future__ import annotations


def send_notice(notice_id: int, batch: int | None = None) -> int:
    """Deliver a community notice to every resident it is for, a batch per commit; a second
    run (a retry, a re-queued job) carries on from the last person done and adds nobody
    twice. Returns how many batches it wrote."""
    from app.db_commit import commit
    from app.notices import fanout
    from workers.queue import enqueue_after_commit

    written = 0
    while True:
        finished, by_sms, by_email = fanout.send_batch(notice_id, batch or fanout.BATCH)
        if by_sms or by_email:
            enqueue_after_commit(send_copies, by_sms, by_email, retry=3)
        commit()
        if finished:
            return written
        written += 1


def send_copies(sms_ids: list[int], email_ids: list[int]) -> int:
    """The text-message and email copies of one batch; each copy is sent once whatever
    happens (``deliver_sms``/``deliver_email`` skip those already sent). A failure is raised
    after the rest are tried, so the retry sends only what failed."""
    from app.extensions import db
    from workers.notifications import deliver_email, deliver_sms

    failed: Exception | None = None
    sent = 0
    for deliver, ids in ((deliver_sms, sms_ids), (deliver_email, email_ids)):
        for ident in ids:
            try:
                deliver(ident)
                sent += 1
            except Exception as exc:  # noqa: BLE001 -- tried again by the job's retry
                db.session.rollback()
                failed = exc
    if failed is not None:
        raise failed
    return sent
