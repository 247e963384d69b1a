"""The rules of consultations (居民议事): the bureau opens one for a community with its options,
the community's residents on the district's roll vote once each and comment, the bureau closes
it, enters paper and meeting votes with their source, and publishes the result.

Who may vote: a person whose residence on the district's roll (``ResidentProfile``, kept by the
bureau) lies in the consultation's area or an area inside it. One vote each, held by a unique
constraint; the choice is single (the one option they want bought first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.consultations.models import (
    COMMENT_MAX,
    DETAIL_MAX,
    NOTE_MAX,
    OPTIONS_MAX,
    TALLY_MAX,
    TITLE_MAX,
    Consultation,
    ConsultationComment,
    ConsultationOption,
    ConsultationStatus,
    ConsultationTally,
    ConsultationVote,
    TallySource,
)
from app.db import utcnow
from app.db_unique import claim
from app.extensions import db
from app.inbound import text_problem
from app.needs.models import UNMET, Need
from app.residents.models import ResidentProfile
from app.service.hours import local_date
from app.tenancy.models import Area, Tenant


class ConsultationError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


def _text(value: str | None, limit: int, empty_message=None) -> str:
    value = (value or "").strip()
    if not value and empty_message is not None:
        raise ConsultationError(empty_message)
    if len(value) > limit:
        raise ConsultationError(_("Please keep it to %(n)s characters.", n=limit))
    if problem := text_problem(value):
        raise ConsultationError(problem)
    return value


# --- who lives where -------------------------------------------------------------------------

def residence(user: User, tenant_id: int) -> Area | None:
    """The area ``user`` lives in, as the district's roll of residents has it."""
    return db.session.scalar(
        select(Area).join(ResidentProfile, ResidentProfile.area_id == Area.id)
        .where(ResidentProfile.tenant_id == tenant_id, ResidentProfile.user_id == user.id,
               Area.tenant_id == tenant_id))


def lives_in(user: User, consultation: Consultation) -> bool:
    """On the roll as living in the consultation's area (or an area inside it), and not
    only an auditor there (who reads, never takes part)."""
    if not user.roles_in(consultation.tenant_id) - {Role.AUDITOR}:
        return False
    home = residence(user, consultation.tenant_id)
    return home is not None and home.path.startswith(consultation.area.path)


def for_resident(user: User, tenant: Tenant):
    """A select of the consultations of the community ``user`` lives in, newest first."""
    home = residence(user, tenant.id)
    if home is None:
        return select(Consultation).where(Consultation.id.is_(None))
    within = [int(part) for part in home.path.strip("/").split("/") if part]
    return select(Consultation).where(Consultation.tenant_id == tenant.id,
                                      Consultation.area_id.in_(within)
                                      ).order_by(Consultation.opens_at.desc(), Consultation.id.desc())


# --- opening ---------------------------------------------------------------------------------

def candidate_needs(area: Area) -> list[Need]:
    """The community's needs not yet met, which the bureau may put on the ballot."""
    return list(db.session.scalars(
        select(Need).join(Area, Area.id == Need.area_id)
        .where(Need.tenant_id == area.tenant_id, Need.status.in_([str(s) for s in UNMET]),
               Area.path.startswith(area.path, autoescape=False))
        .order_by(Need.created_at.desc(), Need.id.desc()).limit(100)))


def open_consultation(tenant: Tenant, officer: User, *, area: Area, title: str,
                      description: str, opens_at: datetime, closes_at: datetime,
                      need_ids: list[int] = (), proposals: list[str] = (),
                      now: datetime | None = None) -> Consultation:
    """Open a consultation of ``area``'s residents on the needs ``need_ids`` (unmet, in the
    area) and the projects ``proposals`` (a line each), from ``opens_at`` to ``closes_at``."""
    now = now or utcnow()
    if area.tenant_id != tenant.id:
        raise ConsultationError(_l("Not found."), 404)
    title = _text(title, TITLE_MAX, _l("Please give the consultation a title."))
    description = _text(description, DETAIL_MAX)
    if closes_at <= opens_at:
        raise ConsultationError(_l("Voting must end after it starts."))
    if closes_at <= now:
        raise ConsultationError(_l("Voting must end in the future."))
    needs = {n.id: n for n in candidate_needs(area)}
    chosen = list(dict.fromkeys(need_ids or []))
    if any(i not in needs for i in chosen):
        raise ConsultationError(_l("Choose needs of this community that are not met yet."))
    lines = [_text(p, TITLE_MAX) for p in proposals or []]
    lines = list(dict.fromkeys(line for line in lines if line))
    if len(chosen) + len(lines) < 2:
        raise ConsultationError(_l("Put at least two options to the residents."))
    if len(chosen) + len(lines) > OPTIONS_MAX:
        raise ConsultationError(_("Put at most %(n)s options to the residents.", n=OPTIONS_MAX))
    consultation = Consultation(
        tenant_id=tenant.id, area_id=area.id, title=title, description=description,
        opens_at=opens_at, closes_at=closes_at, status=ConsultationStatus.OPEN,
        created_by_id=officer.id, created_at=now)
    db.session.add(consultation)
    db.session.flush()
    options = [(needs[i].what[:TITLE_MAX], needs[i].category, i) for i in chosen]
    options += [(line, "", None) for line in lines]
    for position, (text, detail, need_id) in enumerate(options, start=1):
        db.session.add(ConsultationOption(tenant_id=tenant.id, consultation_id=consultation.id,
                                          position=position, title=text, detail=detail,
                                          need_id=need_id))
    db.session.flush()
    return consultation


# --- residents -------------------------------------------------------------------------------

def _option(consultation: Consultation, option_id: int) -> ConsultationOption:
    option = db.session.get(ConsultationOption, option_id) if option_id else None
    if option is None or option.consultation_id != consultation.id:
        raise ConsultationError(_l("Choose one of the options."))
    return option


def _resident(consultation: Consultation, user: User) -> None:
    if not lives_in(user, consultation):
        raise ConsultationError(
            _l("Only residents of this community on the district's roll can take part."), 403)


def my_vote(consultation: Consultation, user: User) -> ConsultationVote | None:
    return db.session.scalar(select(ConsultationVote).where(
        ConsultationVote.consultation_id == consultation.id,
        ConsultationVote.user_id == user.id))


def vote(consultation: Consultation, user: User, option_id: int,
         now: datetime | None = None) -> ConsultationVote:
    """The resident's one vote, for one option; it cannot be changed."""
    now = now or utcnow()
    _resident(consultation, user)
    if not consultation.voting_open(now):
        raise ConsultationError(_l("Voting is not open."), 409)
    option = _option(consultation, option_id)
    home = residence(user, consultation.tenant_id)
    row = ConsultationVote(tenant_id=consultation.tenant_id, consultation_id=consultation.id,
                           option_id=option.id, user_id=user.id,
                           area_id=home.id if home else None, cast_at=now)
    with claim({"uq_consultation_vote_one_each": ConsultationError(
            _l("You have already voted in this consultation."), 409)}):
        db.session.add(row)
    return row


def comment(consultation: Consultation, user: User, body: str,
            now: datetime | None = None) -> ConsultationComment:
    now = now or utcnow()
    _resident(consultation, user)
    body = _text(body, COMMENT_MAX, _l("Please write your comment."))
    if not consultation.voting_open(now):
        raise ConsultationError(_l("Comments are taken while voting is open."), 409)
    row = ConsultationComment(tenant_id=consultation.tenant_id, consultation_id=consultation.id,
                              user_id=user.id, body=body, created_at=now)
    db.session.add(row)
    db.session.flush()
    return row


def comments(consultation: Consultation) -> list[ConsultationComment]:
    return list(db.session.scalars(
        select(ConsultationComment).where(ConsultationComment.consultation_id == consultation.id)
        .order_by(ConsultationComment.id.desc()).limit(200)))


# --- the bureau ------------------------------------------------------------------------------

def close(consultation: Consultation, officer: User, now: datetime | None = None) -> None:
    """No more votes online (also before ``closes_at``, when the bureau ends it early)."""
    if consultation.status != ConsultationStatus.OPEN:
        raise ConsultationError(_l("Voting has already ended."), 409)
    consultation.status, consultation.closed_at = ConsultationStatus.CLOSED, now or utcnow()
    consultation.closed_by_id = officer.id
    db.session.flush()


def enter_tally(consultation: Consultation, officer: User, *, option_id: int, source: str,
                held_on: date, votes: int, note: str = "",
                now: datetime | None = None) -> ConsultationTally:
    """Votes for one option cast on paper or at a meeting on ``held_on``, entered by staff."""
    now = now or utcnow()
    if consultation.published:
        raise ConsultationError(_l("The result is published; nothing more can be entered."), 409)
    if source not in set(TallySource):
        raise ConsultationError(_l("Say whether the votes were on paper or at a meeting."))
    option = _option(consultation, option_id)
    if not 0 < votes <= TALLY_MAX:
        raise ConsultationError(_("Enter a number of votes from 1 to %(n)s.", n=TALLY_MAX))
    if held_on > local_date(now) or held_on < local_date(consultation.opens_at):
        raise ConsultationError(_l("The votes must have been cast while the consultation ran."))
    note = _text(note, NOTE_MAX)
    _within_roll(consultation, votes)
    row = ConsultationTally(tenant_id=consultation.tenant_id, consultation_id=consultation.id,
                            option_id=option.id, source=source, held_on=held_on, votes=votes,
                            note=note, entered_by_id=officer.id, created_at=now)
    with claim({"uq_consultation_tally_once": ConsultationError(
            _l("These votes are already entered for this option, source and day."), 409)}):
        db.session.add(row)
    return row


def _within_roll(consultation: Consultation, votes: int) -> None:
    """Refuse ``votes`` more when all the votes counted (online, on paper, at meetings) would
    then outnumber the residents on the roll: each resident has one vote, wherever cast."""
    eligible = eligible_count(consultation)
    counted = turnout(consultation) + (db.session.scalar(
        select(func.coalesce(func.sum(ConsultationTally.votes), 0))
        .where(ConsultationTally.consultation_id == consultation.id)) or 0)
    if counted + votes > eligible:
        raise ConsultationError(_(
            "%(community)s has %(eligible)s residents on the roll and %(counted)s votes are "
            "already counted (online, on paper and at meetings), so at most %(left)s more can "
            "be entered. Each resident has one vote: please check the count.",
            community=consultation.area.name, eligible=eligible, counted=counted,
            left=max(eligible - counted, 0)), 400)


def publish(consultation: Consultation, officer: User, now: datetime | None = None) -> None:
    if consultation.status != ConsultationStatus.CLOSED:
        raise ConsultationError(_l("End the voting before publishing the result."), 409)
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.published_at, consultation.published_by_id = now or utcnow(), officer.id
    db.session.flush()


# --- counting --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Count:
    option: ConsultationOption
    online: int
    paper: int
    meeting: int

    @property
    def total(self) -> int:
        return self.online + self.paper + self.meeting


def results(consultation: Consultation) -> list[Count]:
    """Votes per option, online and entered, most votes first (ties in ballot order)."""
    online = dict(db.session.execute(
        select(ConsultationVote.option_id, func.count(ConsultationVote.id))
        .where(ConsultationVote.consultation_id == consultation.id)
        .group_by(ConsultationVote.option_id)).all())
    entered: dict[tuple[int, str], int] = {
        (o, s): int(n) for o, s, n in db.session.execute(
            select(ConsultationTally.option_id, ConsultationTally.source,
                   func.sum(ConsultationTally.votes))
            .where(ConsultationTally.consultation_id == consultation.id)
            .group_by(ConsultationTally.option_id, ConsultationTally.source))}
    counts = [Count(o, online.get(o.id, 0), entered.get((o.id, "paper"), 0),
                    entered.get((o.id, "meeting"), 0)) for o in consultation.options]
    return sorted(counts, key=lambda c: (-c.total, c.option.position))


def turnout(consultation: Consultation) -> int:
    """How many residents voted online."""
    return db.session.scalar(select(func.count(ConsultationVote.id)).where(
        ConsultationVote.consultation_id == consultation.id)) or 0


def tallies(consultation: Consultation) -> list[ConsultationTally]:
    return list(db.session.scalars(
        select(ConsultationTally).where(ConsultationTally.consultation_id == consultation.id)
        .order_by(ConsultationTally.held_on, ConsultationTally.id)))


def eligible_count(consultation: Consultation) -> int:
    """Residents on the roll in the consultation's area: who could vote online."""
    return db.session.scalar(
        select(func.count(ResidentProfile.id)).join(Area, Area.id == ResidentProfile.area_id)
        .where(ResidentProfile.tenant_id == consultation.tenant_id,
               Area.path.startswith(consultation.area.path, autoescape=False))) or 0


def chosen(consultation: Consultation) -> ConsultationOption | None:
    """The option the residents put first (most votes, ties in ballot order); None before
    anyone voted."""
    counts = results(consultation)
    return counts[0].option if counts and counts[0].total else None
