"""The names people read for the ledger's accounts (会计科目名称).

The journal keeps its ASCII keys (``Expenses:FY2026:Org:O1:C1:Transport``); pages show the
name a Chinese accountant would write under 民间非营利组织会计制度, derived here and nowhere
else from the key's parts (``ledger.accounts.parse``) with the fund, organization, contract
and budget line it names resolved to their names: 业务活动成本—交通费（阳光社区服务中心·GZ2026-0001）.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from ledger import accounts as chart

#: The standard budget lines' ledger codes, as cost accounts are named.
LINES = {"Transport": _l("Transport costs"), "Materials": _l("Materials costs"),
         "Printing": _l("Printing costs"), "Insurance": _l("Insurance costs"),
         "Incentives": _l("Volunteer incentives"), "Personnel": _l("Staff costs"),
         "Staff": _l("Staff costs"), "Other": _l("Other costs")}


@dataclass
class Names:
    """What the ids in a set of account keys are called."""

    funds: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, str] = field(default_factory=dict)
    contracts: dict[int, str] = field(default_factory=dict)  # id → contract number
    lines: dict[tuple[int, str], str] = field(default_factory=dict)  # (contract, code) → name
    people: dict[int, str] = field(default_factory=dict)  # time-bank holders, names masked

    def person(self, user_id: int | None) -> str:
        return self.people.get(user_id) or _("Resident %(n)s", n=user_id)

    def fund(self, fund_id: int | None) -> str:
        return self.funds.get(fund_id) or _("Fund %(n)s", n=fund_id)

    def org(self, org_id: int | None) -> str:
        return self.orgs.get(org_id) or _("Organization %(n)s", n=org_id)

    def contract(self, contract_id: int | None) -> str:
        return self.contracts.get(contract_id) or _("Contract %(n)s", n=contract_id)

    def line(self, contract_id: int | None, code: str | None) -> str:
        if code in LINES:
            return str(LINES[code])
        return self.lines.get((contract_id, code)) or _("Budget line %(code)s", code=code)


def names_for(tenant_id: int, keys: Iterable[str]) -> Names:
    """Look up, in a few queries, the names of everything the keys name."""
    from app.funding.models import Fund
    from app.funding.models_contracts import Contract, ContractLine
    from app.orgs.models import Organization

    parts = [p for p in map(chart.parse, set(keys)) if p is not None]
    funds = {p.fund_id for p in parts if p.fund_id}
    orgs = {p.org_id for p in parts if p.org_id}
    contracts = {p.contract_id for p in parts if p.contract_id}
    people = {p.person_id for p in parts if p.person_id}
    names = Names()
    if people:
        from app.auth.models import User
        from app.privacy import mask_name

        names.people = {uid: mask_name(name) for uid, name in db.session.execute(
            select(User.id, User.name).where(User.id.in_(people))).all()}
    if funds:
        names.funds = dict(db.session.execute(select(Fund.id, Fund.name).where(
            Fund.tenant_id == tenant_id, Fund.id.in_(funds))).all())
    if orgs:
        names.orgs = dict(db.session.execute(select(Organization.id, Organization.name).where(
            Organization.tenant_id == tenant_id, Organization.id.in_(orgs))).all())
    if contracts:
        names.contracts = dict(db.session.execute(select(Contract.id, Contract.number).where(
            Contract.tenant_id == tenant_id, Contract.id.in_(contracts))).all())
        names.lines = {(c, code): name for c, code, name in db.session.execute(
            select(ContractLine.contract_id, ContractLine.code, ContractLine.name).where(
                ContractLine.tenant_id == tenant_id, ContractLine.contract_id.in_(contracts)))}
    return names


def display(key: str, names: Names) -> str:
    """The account's name in the reader's language; the key itself for one not of our chart."""
    p = chart.parse(key)
    if p is None:
        return key
    words: dict[str, Callable[[], str]] = {
        "fund_available": lambda: _("Bank deposits — %(fund)s — available", fund=names.fund(p.fund_id)),
        "fund_committed": lambda: _("Bank deposits — %(fund)s — committed to %(contract)s",
                                    fund=names.fund(p.fund_id), contract=names.contract(p.contract_id)),
        "fund_refunded": lambda: _("Bank deposits — %(fund)s — returned", fund=names.fund(p.fund_id)),
        "appropriation": lambda: _("Restricted net assets — government grant (%(fund)s)",
                                   fund=names.fund(p.fund_id)),
        "org_cash": lambda: _("Bank deposits — %(org)s (%(contract)s)", org=names.org(p.org_id),
                              contract=names.contract(p.contract_id)),
        "org_expense": lambda: _("Programme activity costs — %(line)s (%(org)s · %(contract)s)",
                                 line=names.line(p.contract_id, p.line), org=names.org(p.org_id),
                                 contract=names.contract(p.contract_id)),
        "points_issued": lambda: _("Programme activity costs — volunteer points (%(org)s)",
                                   org=names.org(p.org_id)),
        "points_liability": lambda: _("Payables — volunteer points (%(org)s)", org=names.org(p.org_id)),
        "points_redeemed": lambda: _("Other income — points redeemed (%(org)s)", org=names.org(p.org_id)),
        "time_credits": lambda: _("Time bank — credits held by %(person)s",
                                  person=names.person(p.person_id)),
        "time_pool": lambda: _("Time bank — community pool"),
        "time_deposited": lambda: _("Time bank — hours verified by %(org)s",
                                    org=names.org(p.org_id)),
        "time_received": lambda: _("Time bank — credits received by %(org)s for services",
                                   org=names.org(p.org_id)),
        "carried_forward": lambda: _("Net assets — carried to the next year"),
        "brought_forward": lambda: _("Net assets — brought from the last year"),
    }
    return words[p.kind]()


def namer(tenant_id: int, keys: Iterable[str]) -> Callable[[str], str]:
    """``name(key)`` for every key of a page, its names looked up once."""
    names = names_for(tenant_id, keys)
    return lambda key: display(key, names)
