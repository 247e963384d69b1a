"""The demo step gives the demo volunteers verified records and points, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.books.models import OutboxEvent
from app.demo import load
from app.service.models import PointsEntry, RecordStatus, ServiceRecord


def counts(db) -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(ServiceRecord.id))),
            db.session.scalar(select(func.count(PointsEntry.id))),
            db.session.scalar(select(func.count(OutboxEvent.id))))


def test_demo_records_are_made_once(app, db):
    with app.test_request_context("/"):
        first = load()
        assert "service: 8 records verified" in first
        made = counts(db)
        assert made == (8, 8, 8)
        assert "service:" not in load()
        assert counts(db) == made
    statuses = set(db.session.scalars(select(ServiceRecord.status)))
    assert statuses == {RecordStatus.VERIFIED}
    minutes = sorted(db.session.scalars(select(ServiceRecord.minutes)))
    assert minutes[0] >= 120 and minutes[-1] == 165
