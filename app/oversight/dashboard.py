"""What the bureau opens every morning: money from the ledger's index, service from the
records, per tenant, fund, organization and contract; tranches planned against paid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.oversight import money as money_mod
from app.oversight import service_figures
from app.oversight.money import Books, Money
from app.oversight.service_figures import Service
from app.parsing import local_today


def funding_available() -> bool:
    return {"contract", "fund", "tranche"} <= set(db.metadata.tables)


@dataclass
class Row:
    id: int
    name: str
    money: Money
    service: Service | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class BooksStatus:
    verified: object  # LedgerVerification | None
    pending: int
    failing: int


def books_status(tenant_id: int) -> BooksStatus:
    from app.books import services as books

    outbox = books.outbox_status(tenant_id)
    return BooksStatus(books.last_verified(tenant_id), outbox.pending, outbox.failing)


def _contracts(tenant_id: int, **where) -> list:
    from app.funding.models import Contract

    stmt = select(Contract).where(Contract.tenant_id == tenant_id,
                                  Contract.status.in_(("signed", "closed")))
    for key, value in where.items():
        stmt = stmt.where(getattr(Contract, key) == value)
    return list(db.session.scalars(stmt.order_by(Contract.id)))


def contract_figures(tenant_id: int, contracts: list, books: Books) -> dict:
    """The contracts' money figures, as every page shows them (``app.funding.figures``)."""
    from app.funding.figures import for_contracts

    return for_contracts(tenant_id, contracts, books)


def tenant_view(tenant) -> dict:
    books = money_mod.load(tenant.id)
    service, refreshed = service_figures.compute(tenant.id), utcnow()
    orgs = db.session.scalars(select(Organization).where(Organization.tenant_id == tenant.id)
                              .order_by(Organization.name)).all()
    org_rows = [Row(o.id, o.name, books.org(o.id), service.get(o.id, Service())) for o in orgs]
    funds, contracts = [], []
    if funding_available():
        from app.funding.models import Fund

        for fund in db.session.scalars(select(Fund).where(Fund.tenant_id == tenant.id)
                                       .order_by(Fund.fiscal_year.desc(), Fund.name)):
            funds.append(Row(fund.id, f"{fund.fiscal_year} {fund.name}", books.fund(fund.id),
                             extra={"appropriated": books.appropriated.get(fund.id, 0),
                                    "available": books.available.get(fund.id, 0),
                                    "amount": fund.amount_fen}))
        names = {o.id: o.name for o in orgs}
        late = late_counts(tenant.id)
        signed = _contracts(tenant.id)
        figures = contract_figures(tenant.id, signed, books)
        for contract in signed:
            contracts.append(Row(contract.id, contract.title, books.contract(contract.id),
                                 extra={"org": names.get(contract.org_id, ""),
                                        "number": contract.number, "figures": figures[contract.id],
                                        "late": late.get(contract.id, 0)}))
    return {"total": books.tenant(), "service": service.get(None, Service()),
            "refreshed": refreshed, "orgs": org_rows, "funds": funds, "contracts": contracts,
            "books": books_status(tenant.id),
            "appropriated": sum(books.appropriated.values()),
            "available": sum(books.available.values())}


@dataclass
class TrancheRow:
    seq: int
    milestone: str
    planned_on: date
    amount_fen: int
    status: str
    paid_on: date | None
    paid_fen: int | None
    days_late: int | None  # paid (or still unpaid today) after the planned date


def tranche_rows(contract, today: date | None = None) -> list[TrancheRow]:
    from app.funding.models import Disbursement

    today = today or local_today()
    paid = {d.tranche_id: d for d in db.session.scalars(select(Disbursement).where(
        Disbursement.contract_id == contract.id, Disbursement.status == "paid"))}
    rows = []
    for t in sorted(contract.tranches, key=lambda t: t.seq):
        payment = paid.get(t.id)
        when = payment.paid_on if payment else None
        late_by = ((when or today) - t.planned_on).days
        rows.append(TrancheRow(t.seq, t.milestone, t.planned_on, t.amount_fen, t.status, when,
                               payment.amount_fen if payment else None,
                               late_by if late_by > 0 else None))
    return rows


def late_tranches(contract) -> int:
    return sum(1 for r in tranche_rows(contract) if r.days_late)


def late_counts(tenant_id: int, today: date | None = None) -> dict[int, int]:
    """Per contract: tranches paid after, or still unpaid past, their planned date."""
    from app.funding.models import Disbursement, Tranche

    today = today or local_today()
    stmt = (select(Tranche.contract_id, Tranche.planned_on, Disbursement.paid_on)
            .outerjoin(Disbursement, (Disbursement.tranche_id == Tranche.id)
                       & (Disbursement.status == "paid"))
            .where(Tranche.tenant_id == tenant_id))
    out: dict[int, int] = {}
    for contract_id, planned, paid in db.session.execute(stmt):
        if (paid or today) > planned:
            out[contract_id] = out.get(contract_id, 0) + 1
    return out


def org_view(tenant, org: Organization) -> dict:
    books = money_mod.load(tenant.id)
    contracts = []
    if funding_available():
        late = late_counts(tenant.id)
        signed = _contracts(tenant.id, org_id=org.id)
        figures = contract_figures(tenant.id, signed, books)
        contracts = [Row(c.id, c.title, books.contract(c.id),
                         extra={"number": c.number, "late": late.get(c.id, 0),
                                "figures": figures[c.id]})
                     for c in signed]
    return {"money": books.org(org.id), "service": service_figures.live(tenant.id, org.id),
            "contracts": contracts, "books": books_status(tenant.id)}


def line_names(contract) -> dict[str, str]:
    """Ledger line code → the contract's own name for the line (交通 …)."""
    return {line.code: line.name for line in contract.lines if line.code}


def contract_view(tenant, contract) -> dict:
    books: Books = money_mod.load(tenant.id)
    money = books.contract(contract.id)
    names = line_names(contract)
    lines = [{"code": line.code, "name": line.name, "budget": line.budget_fen,
              "spent": money.by_line.get(line.code, 0)} for line in contract.lines]
    known = {line.code for line in contract.lines}
    lines += [{"code": code, "name": code, "budget": None, "spent": fen}
              for code, fen in money.by_line.items() if code not in known]
    service = service_figures.for_contract(tenant.id, contract.id)
    return {"money": money, "figures": contract_figures(tenant.id, [contract], books)[contract.id], "lines": lines, "names": names, "service": service,
            "tranches": tranche_rows(contract), "books": books_status(tenant.id)}


def fund_view(tenant, fund) -> dict:
    books = money_mod.load(tenant.id)
    orgs = {o.id: o.name for o in db.session.scalars(
        select(Organization).where(Organization.tenant_id == tenant.id))}
    late = late_counts(tenant.id)
    signed = _contracts(tenant.id, fund_id=fund.id)
    figures = contract_figures(tenant.id, signed, books)
    contracts = [Row(c.id, c.title, books.contract(c.id),
                     extra={"org": orgs.get(c.org_id, ""), "number": c.number,
                            "late": late.get(c.id, 0), "figures": figures[c.id]})
                 for c in signed]
    return {"money": books.fund(fund.id), "appropriated": books.appropriated.get(fund.id, 0),
            "available": books.available.get(fund.id, 0), "contracts": contracts,
            "books": books_status(tenant.id)}
