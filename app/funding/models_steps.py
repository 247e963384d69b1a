"""The records some approval tiers ask of an expenditure before it is final
(``app.funding.ladder``): the residents' assembly decision that approved it (居民会议决议:
when, how many attended, the votes, the minutes) and the procurement that chose the supplier
(three quotes or a tender, with their documents). Files are checked by content and stored
outside the static folder, like receipts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, Timestamped
from app.extensions import db
from app.funding.columns import user_fk


def _expenditure_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("expenditure.id", ondelete="RESTRICT"), index=True,
                         unique=True)


class AssemblyDecision(OrgScoped, Timestamped, db.Model):
    """A residents' assembly (居民会议) decided to make this expenditure: a majority of those
    present voted for it."""

    __table_args__ = (
        CheckConstraint("attendance > 0 AND votes_for >= 0 AND votes_against >= 0 "
                        "AND votes_abstain >= 0", name="counts_sane"),
        CheckConstraint("votes_for + votes_against + votes_abstain <= attendance",
                        name="votes_within_attendance"),
        CheckConstraint("votes_for * 2 > attendance", name="majority_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = _expenditure_fk()
    held_on: Mapped[date]
    attendance: Mapped[int]
    votes_for: Mapped[int]
    votes_against: Mapped[int]
    votes_abstain: Mapped[int]
    recorded_by_id: Mapped[int] = user_fk(False)

    files: Mapped[list[StepFile]] = relationship(
        primaryjoin="and_(foreign(StepFile.expenditure_id) == AssemblyDecision.expenditure_id, "
                    "StepFile.step == 'assembly')", viewonly=True, order_by="StepFile.id")


class ProcurementRecord(OrgScoped, Timestamped, db.Model):
    """How the supplier was chosen: three written quotes (询价) or a tender (招标)."""

    __table_args__ = (CheckConstraint("method IN ('quotes', 'tender')", name="method_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = _expenditure_fk()
    method: Mapped[str] = mapped_column(String(10))
    supplier: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = user_fk(False)

    files: Mapped[list[StepFile]] = relationship(
        primaryjoin="and_(foreign(StepFile.expenditure_id) == ProcurementRecord.expenditure_id, "
                    "StepFile.step == 'procurement')", viewonly=True, order_by="StepFile.id")


class StepFile(OrgScoped, Timestamped, db.Model):
    """A document of a step: the assembly's minutes, a quote, the tender's papers."""

    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),
                      CheckConstraint("step IN ('assembly', 'procurement')", name="step_known"))

    id: Mapped[int] = mapped_column(primary_key=True)
    expenditure_id: Mapped[int] = mapped_column(
        ForeignKey("expenditure.id", ondelete="RESTRICT"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    #: Its key in the uploads area of ``app.storage``; never derived from the uploaded name.
    file_key: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(60))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int]
    uploaded_by_id: Mapped[int] = user_fk(False)

__all__ = ["AssemblyDecision", "ProcurementRecord", "StepFile"]
