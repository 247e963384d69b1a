"""A contract's money statement from the funding tables (the ledger's read index comes later):
committed, received tranche by tranche (planned against actual), spent by line, pending,
returned, and what the organization holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.funding.models import Contract, Disbursement, DisbursementStatus
from app.funding.models_spending import Expenditure, ExpenditureStatus, Redemption, RedemptionStatus

PENDING = (ExpenditureStatus.PENDING, ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED)


@dataclass
class LineRow:
    name: str
    budget_fen: int
    final_fen: int = 0
    pending_fen: int = 0
    redemptions_fen: int = 0

    @property
    def spent_fen(self) -> int:
        return self.final_fen + self.redemptions_fen

    @property
    def left_fen(self) -> int:
        return self.budget_fen - self.spent_fen - self.pending_fen


@dataclass
class Statement:
    contract: Contract
    lines: list[LineRow] = field(default_factory=list)
    payments: list[Disbursement] = field(default_factory=list)

    @property
    def spent_fen(self) -> int:
        return sum(row.spent_fen for row in self.lines)

    @property
    def pending_fen(self) -> int:
        return sum(row.pending_fen for row in self.lines)


def statement(contract: Contract) -> Statement:
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for line_id, status, amount in db.session.execute(
            select(Expenditure.line_id, Expenditure.status, func.sum(Expenditure.amount_fen))
            .where(Expenditure.contract_id == contract.id)
            .group_by(Expenditure.line_id, Expenditure.status)):
        kind = "final" if status == ExpenditureStatus.FINAL else (
            "pending" if status in PENDING else None)
        if kind:
            sums[(line_id, kind)] += int(amount)
    for line_id, amount in db.session.execute(
            select(Redemption.line_id, func.sum(Redemption.value_fen))
            .where(Redemption.contract_id == contract.id,
                   Redemption.status == RedemptionStatus.SETTLED)
            .group_by(Redemption.line_id)):
        sums[(line_id, "redemptions")] += int(amount)
    rows = [LineRow(line.name, line.budget_fen, sums[(line.id, "final")],
                    sums[(line.id, "pending")], sums[(line.id, "redemptions")])
            for line in contract.lines]
    payments = list(db.session.scalars(select(Disbursement).where(
        Disbursement.contract_id == contract.id,
        Disbursement.status == DisbursementStatus.PAID).order_by(Disbursement.id)))
    return Statement(contract, rows, payments)
