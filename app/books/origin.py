"""Where a ledger transaction comes from, in words: who approved it and which business
object (contract, tranche, expenditure…) caused it, with links to their pages.

The journal stores these as codes (``approver: "user:25"``, ``source: "disbursement:2"``);
the pages read them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.books.models import LedgerTxn
from app.extensions import db
from app.glossary import term
from app.privacy import mask_name
from app.templating import joined

_USER = re.compile(r"user:(\d+)")
_PERSON = re.compile(r"(user|volunteer|resident):(\d+)")


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None = None


def approver(tenant_id: int, code: str) -> Link | None:
    """``user:25`` → 陈科员（民政局工作人员）; the system's own codes in words."""
    if not code:
        return None
    if match := _USER.fullmatch(code):
        user = db.session.get(User, int(match.group(1)))
        if user is None:
            return Link(_("A person no longer on record"))
        roles = joined(sorted(term(r) for r in user.roles_in(tenant_id)))
        return Link(_("%(name)s (%(roles)s)", name=user.name, roles=roles) if roles else user.name,
                    url_for("audit.log", actor_id=user.id))
    if code == "system:qr-checkout":
        return Link(_("The system: hours verified when the volunteer checked out"))
    return Link(_("The system"))


def payee(text: str | None) -> str | None:
    """A payee written as a code (points go to ``volunteer:13``) is the volunteer, masked:
    the books are read by auditors, who need to know it was a person, not who."""
    if not text or not (match := _PERSON.fullmatch(text)):
        return text
    name = db.session.scalar(select(User.name).where(User.id == int(match.group(2))))
    who = term("resident") if match.group(1) == "resident" else term("volunteer")
    return f"{who} {mask_name(name)}" if name else who


def cause(source: str) -> Link | None:
    """``disbursement:2`` → 拨付 #2, linked to the page that shows it."""
    from app.oversight import evidence
    from app.oversight.drill import source_link

    found = source_link(source)
    if found is None:
        return None
    kind, ident = found
    url = evidence.link(kind, ident)
    return Link(evidence.title(kind, ident), None if url == "#" else url)


def parties(tenant_id: int, txn: LedgerTxn) -> dict[str, Link]:
    """The fund, organization and contract a transaction names, by name and linked."""
    from app.funding.models import Fund
    from app.funding.models_contracts import Contract
    from app.orgs.models import Organization

    found: dict[str, Link] = {}
    if txn.fund_id and (name := db.session.scalar(select(Fund.name).where(
            Fund.tenant_id == tenant_id, Fund.id == txn.fund_id))):
        found["fund"] = Link(name, url_for("oversight.fund", fund_id=txn.fund_id))
    if txn.org_id and (name := db.session.scalar(select(Organization.name).where(
            Organization.tenant_id == tenant_id, Organization.id == txn.org_id))):
        found["org"] = Link(name, url_for("books.org_statement", org_id=txn.org_id))
    if txn.contract_id and (row := db.session.execute(select(Contract.number, Contract.title).where(
            Contract.tenant_id == tenant_id, Contract.id == txn.contract_id)).first()):
        found["contract"] = Link(f"{row.number} {row.title}".strip(),
                                 url_for("oversight.contract", contract_id=txn.contract_id))
    return found
