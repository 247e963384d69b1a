"""Filed community groups (社区社会组织·备案): joining with a filing record and a sponsor,
the sponsor's answer, corrections while unverified.

A filed group registers like any organization but without a 统一社会信用代码: it brings its
filing number, the street or community it is filed with, the day, the filing document, and
names a hub or incubator organization of the district as its sponsor (``parent_id``). The
sponsor confirms first; then the bureau verifies as for any organization. Services flush;
the caller commits.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.db_unique import claim, hold
from app.extensions import db
from app.grassroots.models import Filing, Incubation, SponsorStatus, Stage, StageMove
from app.notifications.services import notify
from app.orgs import services as orgs
from app.orgs import uploads
from app.orgs.models import Organization, OrgStatus, Standing
from app.parsing import local_today
from app.tenancy.models import Area, Tenant

NUMBER_MAX = 40
NOTE_MAX = 2000
#: Area levels a group can be filed with.
FILING_LEVELS = ("街道", "社区")


class GroupError(ValueError):
    """A refusal the user can read."""


@dataclass
class FilingData:
    number: str
    filed_with_id: int | None
    filed_on: date | None
    sponsor_id: int | None


def sponsors(tenant: Tenant) -> list[Organization]:
    """The verified hub and incubator organizations a group may name as its sponsor."""
    return orgs.incubators(tenant)


def filing_areas(tenant: Tenant) -> list[Area]:
    return list(db.session.scalars(select(Area).where(
        Area.tenant_id == tenant.id, Area.level.in_(FILING_LEVELS)).order_by(Area.path)))


def filing_of(org: Organization) -> Filing | None:
    return db.session.scalar(select(Filing).where(Filing.org_id == org.id))


def sponsor_confirmed(org: Organization) -> bool:
    filing = filing_of(org)
    return filing is not None and filing.is_confirmed


def _check(tenant: Tenant, data: FilingData, group: Organization | None = None) -> str:
    number = unicodedata.normalize("NFKC", data.number or "").strip()
    if not number or len(number) > NUMBER_MAX or not number.isprintable():
        raise GroupError(_l("Please enter the filing number as it is on the filing document."))
    area = db.session.get(Area, data.filed_with_id) if data.filed_with_id else None
    if area is None or area.tenant_id != tenant.id or area.level not in FILING_LEVELS:
        raise GroupError(_l("Please choose the street or community the group is filed with."))
    if data.filed_on is None:
        raise GroupError(_l("Please give the day the group was filed."))
    if data.filed_on > local_today():
        raise GroupError(_l("The filing day cannot be in the future."))
    sponsor = db.session.get(Organization, data.sponsor_id) if data.sponsor_id else None
    if (sponsor is None or sponsor.tenant_id != tenant.id or not sponsor.is_incubator
            or not sponsor.is_verified or (group is not None and sponsor.id == group.id)):
        raise GroupError(_l("Please choose a verified hub or incubator organization of the "
                            "district as the sponsor."))
    return number


def _taken() -> dict:
    return {"uq_filing_tenant_id_number": GroupError(
        _l("A group with this filing number is already registered here."))}


def register_group(tenant: Tenant, user: User, data: orgs.OrgData, filing: FilingData,
                   document: uploads.Upload | None) -> Organization:
    """A filed group joins: pending, with its filing record; its sponsor is asked to confirm.
    The registrant becomes the group's admin."""
    number = _check(tenant, filing)
    if document is None:
        raise GroupError(_l("Please upload the filing document."))
    data.standing, data.credit_code, data.parent_id = Standing.FILED, "", filing.sponsor_id
    org = orgs.register(tenant, user, data, None, tell_bureau=False)
    row = Filing(tenant_id=tenant.id, org_id=org.id, number=number,
                 filed_with_id=filing.filed_with_id, filed_on=filing.filed_on)
    with claim(_taken()):
        db.session.add(row)
    _attach(row, document)
    _ask_sponsor(org)
    db.session.flush()
    return org


def _attach(row: Filing, document: uploads.Upload) -> None:
    row.document_file = uploads.store(document, row.tenant_id, f"orgs/{row.org_id}/filing")
    row.document_mime = document.mime


def update_filing(group: Organization, filing: FilingData,
                  document: uploads.Upload | None) -> Filing:
    """Correct the filing record before the bureau has verified the group; naming another
    sponsor asks that one afresh."""
    hold(group)
    row = filing_of(group)
    if row is None:
        raise GroupError(_l("This organization has no filing record."))
    if group.is_verified:
        raise GroupError(_l("A verified group's filing record is fixed; please contact the "
                            "bureau."))
    tenant = db.session.get(Tenant, group.tenant_id)
    number = _check(tenant, filing, group)
    with claim(_taken()):
        row.number, row.filed_with_id, row.filed_on = number, filing.filed_with_id, filing.filed_on
    if document is not None:
        _attach(row, document)
    if filing.sponsor_id != group.parent_id or row.sponsor_status == SponsorStatus.DECLINED:
        group.parent_id = filing.sponsor_id
        row.sponsor_status, row.sponsor_note = SponsorStatus.PENDING, ""
        row.sponsor_answered_at = row.sponsor_answered_by_id = None
        _ask_sponsor(group)
    db.session.flush()
    return row


def answer_sponsorship(group: Organization, user: User, *, accept: bool,
                       note: str = "") -> Filing:
    """The sponsor's admin confirms (the group enters incubation at 入驻 and goes to the
    bureau for verification) or declines, with a note the group reads."""
    hold(group)
    row = filing_of(group)
    if row is None or row.sponsor_status != SponsorStatus.PENDING:
        raise GroupError(_l("This group is not waiting for your answer."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise GroupError(_l("The note is too long (at most %(n)d characters).", n=NOTE_MAX))
    if not accept and not note:
        raise GroupError(_l("Please say why you decline; the group will read it."))
    row.sponsor_status = SponsorStatus.CONFIRMED if accept else SponsorStatus.DECLINED
    row.sponsor_note, row.sponsor_answered_at, row.sponsor_answered_by_id = note, utcnow(), user.id
    sponsor = db.session.get(Organization, group.parent_id)
    if accept:
        start_incubation(group, sponsor, user, local_today())
        if group.status == OrgStatus.PENDING:
            orgs.tell_bureau(group)
    for admin in orgs.admins(group):
        notify(admin, _l("%(sponsor)s agreed to sponsor %(group)s", sponsor=sponsor.name,
                         group=group.name) if accept else
               _l("%(sponsor)s declined to sponsor %(group)s", sponsor=sponsor.name,
                  group=group.name), note or None, tenant_id=group.tenant_id,
               link=f"/t/{_slug(group)}/grassroots/groups/{group.id}")
    db.session.flush()
    return row


def start_incubation(group: Organization, incubator: Organization, user: User,
                     day: date) -> Incubation:
    """The group enters the incubator at 入驻 (once; a group already incubated stays)."""
    row = db.session.scalar(select(Incubation).where(Incubation.org_id == group.id))
    if row is not None:
        return row
    row = Incubation(tenant_id=group.tenant_id, org_id=group.id, incubator_id=incubator.id,
                     stage=Stage.ADMITTED, stage_since=day)
    db.session.add(row)
    db.session.flush()
    db.session.add(StageMove(tenant_id=group.tenant_id, org_id=group.id, incubation_id=row.id,
                             from_stage=None, to_stage=Stage.ADMITTED, moved_on=day,
                             note=str(_l("Sponsorship confirmed")), moved_by_id=user.id))
    return row


def _ask_sponsor(group: Organization) -> None:
    sponsor = db.session.get(Organization, group.parent_id)
    for admin in orgs.admins(sponsor):
        notify(admin, _l("%(group)s asks %(sponsor)s to be its sponsor", group=group.name,
                         sponsor=sponsor.name), tenant_id=group.tenant_id,
               link=f"/t/{_slug(group)}/grassroots/groups/{group.id}")


def _slug(org: Organization) -> str:
    return db.session.get(Tenant, org.tenant_id).slug


def awaiting_sponsor(incubator: Organization) -> list[Organization]:
    """Groups that named ``incubator`` as sponsor and wait for its answer."""
    return list(db.session.scalars(select(Organization).join(
        Filing, Filing.org_id == Organization.id).where(
        Organization.parent_id == incubator.id,
        Filing.sponsor_status == SponsorStatus.PENDING).order_by(Organization.name)))
