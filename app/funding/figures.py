"""A contract's money figures, defined once and read by every page and export that shows them.

Each figure is a glossary term (``app.glossary``: the word and what it means) and is computed
here, from the books' read index (``app.oversight.money``), except the two that are not in the
books yet:

- 合同金额 (contract amount)   = the contract's price, as signed;
- 已拨付 (disbursed)          = everything paid into the organization's contract account;
- 已支出 (spent)              = Σ the contract's expense accounts (final expenditures and settled
                                redemptions, less corrections);
- 已退回 (refunded)           = what went back from the contract account to the fund;
- 账面余额 (book balance)      = the contract account's balance = disbursed − spent − refunded;
- 待审批支出 (pending)         = expenditures recorded and not yet final (awaiting approval,
                                in the objection window or objected): not in the books yet;
- 可用余额 (available)         = book balance − pending: what the organization may still spend.

Money events reach the index when the ledger worker posts them (within seconds); pages that
show these figures say so when events are still waiting (``books_status``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db

#: The figures in the order every page shows them: (glossary key, attribute).
ORDER = (("contract_amount", "amount"), ("disbursed", "disbursed"), ("spent", "spent"),
         ("pending_spending", "pending"), ("available_balance", "available"),
         ("book_balance", "held"), ("refunded", "refunded"))


@dataclass(frozen=True)
class ContractFigures:
    amount: int = 0
    disbursed: int = 0
    spent: int = 0
    pending: int = 0
    held: int = 0
    refunded: int = 0

    @property
    def available(self) -> int:
        return self.held - self.pending

    def rows(self) -> list[tuple[str, int]]:
        """(glossary key, fen) in page order."""
        return [(key, getattr(self, attr)) for key, attr in ORDER]


def _pending(contract_ids: list[int]) -> dict[int, int]:
    from app.funding.models_spending import Expenditure, ExpenditureStatus

    waiting = (ExpenditureStatus.PENDING, ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED)
    if not contract_ids:
        return {}
    return {cid: int(fen or 0) for cid, fen in db.session.execute(
        select(Expenditure.contract_id, func.sum(Expenditure.amount_fen))
        .where(Expenditure.contract_id.in_(contract_ids), Expenditure.status.in_(waiting))
        .group_by(Expenditure.contract_id))}


def for_contracts(tenant_id: int, contracts: Iterable, books=None) -> dict[int, ContractFigures]:
    """Every given contract's figures (one read of the index)."""
    from app.oversight import money

    contracts = list(contracts)
    books = books or money.load(tenant_id)
    pending = _pending([c.id for c in contracts])
    out = {}
    for c in contracts:
        m = books.contract(c.id)
        out[c.id] = ContractFigures(amount=c.price_fen, disbursed=m.disbursed, spent=m.spent,
                                    pending=pending.get(c.id, 0), held=m.cash,
                                    refunded=m.refunded)
    return out


def for_contract(contract, books=None) -> ContractFigures:
    return for_contracts(contract.tenant_id, [contract], books)[contract.id]


def total(figures: Iterable[ContractFigures]) -> ContractFigures:
    figures = list(figures)
    return ContractFigures(**{name: sum(getattr(f, name) for f in figures)
                              for name in ("amount", "disbursed", "spent", "pending", "held",
                                           "refunded")})


def sheet_rows(f: ContractFigures) -> list[tuple[str, int]]:
    """(the reader's word, fen) for exports."""
    from app.glossary import term

    return [(term(key), fen) for key, fen in f.rows()]


def as_dict(f: ContractFigures) -> dict[str, int]:
    """For the API: ``<glossary key>_fen`` → fen, the same figures the pages show."""
    return {f"{key}_fen": fen for key, fen in f.rows()}
