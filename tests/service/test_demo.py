"""The demo step gives the demo volunteers verified records and points, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.books.models import OutboxEvent
from app.service.models import PointsEntry, RecordMethod, RecordStatus, ServiceRecord


def counts(db) -> tuple[int, int, int]:
    """Records, their points entries and their ledger events (other demo steps add their own)."""
    return (db.session.scalar(select(func.count(ServiceRecord.id)).where(
                ServiceRecord.method != RecordMethod.IMPORT)),
            db.session.scalar(select(func.count(PointsEntry.id)).where(
                PointsEntry.record_id.is_not(None))),
            db.session.scalar(select(func.count(OutboxEvent.id)).where(
                OutboxEvent.source.startswith("service-record:"),
                OutboxEvent.kind == "incentive-accrual")))


def test_demo_records_are_made_once(app, db, demo):
    assert "service: 8 records verified" in demo.first and "service:" not in demo.second
    assert counts(db) == (8, 8, 8)
    made_here = ServiceRecord.method != RecordMethod.IMPORT
    statuses = set(db.session.scalars(select(ServiceRecord.status).where(made_here)))
    assert statuses == {RecordStatus.VERIFIED}
    minutes = sorted(db.session.scalars(select(ServiceRecord.minutes).where(made_here)))
    assert minutes[0] >= 120 and minutes[-1] == 165
