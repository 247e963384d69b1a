"""Incubation (孵化): the incubator's groups, moves through 入驻 → 培育 → 出壳, milestones with
evidence, and leaders' training records. Services flush; the caller commits; the audit log
records every row they write (``app.audit.capture``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.db_unique import claim, hold
from app.extensions import db
from app.grassroots.filing import GroupError
from app.grassroots.models import (
    STAGE_ORDER,
    Incubation,
    LeaderTraining,
    Milestone,
    Stage,
    StageMove,
)
from app.inbound import text_problem
from app.orgs import services as orgs
from app.orgs import uploads
from app.orgs.models import Organization, OrgStatus, Standing
from app.parsing import FIRST_DAY, LAST_DAY, local_today

TITLE_MAX, NOTE_MAX, PERSON_MAX, COURSE_MAX = 120, 2000, 40, 120
#: The longest one training record may be: a week of full days.
TRAINING_MAX_MINUTES = 7 * 24 * 60


@dataclass
class GroupRow:
    """One group as the incubator's list shows it."""

    group: Organization
    incubation: Incubation
    open_milestones: int
    overdue: int
    training_minutes: int


def incubation_of(group: Organization) -> Incubation | None:
    return db.session.scalar(select(Incubation).where(Incubation.org_id == group.id))


def groups_of(incubator: Organization) -> list[GroupRow]:
    """The incubator's groups, earliest stage first, each with its open and overdue milestones
    and its leaders' training hours."""
    rows = db.session.execute(select(Incubation, Organization).join(
        Organization, Organization.id == Incubation.org_id).where(
        Incubation.incubator_id == incubator.id)).all()
    minutes = dict(db.session.execute(
        select(LeaderTraining.org_id, db.func.sum(LeaderTraining.minutes))
        .where(LeaderTraining.org_id.in_([g.id for _i, g in rows]))
        .group_by(LeaderTraining.org_id)).all()) if rows else {}
    today = local_today()
    found = [GroupRow(group, inc, len(inc.open_milestones),
                      sum(1 for m in inc.open_milestones if m.due_on < today),
                      int(minutes.get(group.id) or 0)) for inc, group in rows]
    return sorted(found, key=lambda r: (STAGE_ORDER.index(Stage(r.incubation.stage)),
                                        r.group.name))


def trainings_of(group: Organization) -> list[LeaderTraining]:
    return list(db.session.scalars(select(LeaderTraining).where(
        LeaderTraining.org_id == group.id).order_by(LeaderTraining.trained_on.desc(),
                                                    LeaderTraining.id.desc())))


def next_stage(incubation: Incubation) -> Stage | None:
    at = STAGE_ORDER.index(Stage(incubation.stage))
    return STAGE_ORDER[at + 1] if at + 1 < len(STAGE_ORDER) else None


def _day(day: date | None, after: date, what) -> date:
    if day is None:
        raise GroupError(_l("Please give the day."))
    if day > local_today():
        raise GroupError(_l("The day cannot be in the future."))
    if day < after:
        raise GroupError(what)
    return day


def _text(text: str | None, limit: int, missing) -> str:
    value = (text or "").strip()
    if not value:
        raise GroupError(missing)
    if problem := text_problem(value):
        raise GroupError(problem)
    if len(value) > limit:
        raise GroupError(_l("The text is too long (at most %(n)d characters).", n=limit))
    return value


def move(incubation: Incubation, user: User, *, day: date | None, note: str,
         credit_code: str = "") -> StageMove:
    """Move the group to the next stage on ``day`` with a note. 出壳 needs every milestone
    done; a credit code given then (the group has registered) makes it a registered
    organization, sent back to the bureau to verify."""
    hold(incubation)
    target = next_stage(incubation)
    if target is None:
        raise GroupError(_l("This group has already graduated from the incubator."))
    day = _day(day, incubation.stage_since, _l(
        "The day cannot be before the group entered its present stage (%(day)s).",
        day=incubation.stage_since.isoformat()))
    note = _text(note, NOTE_MAX, _l("Please write a note on the move."))
    group = db.session.get(Organization, incubation.org_id)
    if target == Stage.GRADUATED:
        if incubation.open_milestones:
            raise GroupError(_l("Milestones still open: %(titles)s. Mark them done before the "
                                "group graduates.", titles="、".join(
                                    m.title for m in incubation.open_milestones)))
        if (credit_code or "").strip():
            _registers(group, credit_code)
    row = StageMove(tenant_id=incubation.tenant_id, org_id=incubation.org_id,
                    incubation_id=incubation.id, from_stage=incubation.stage, to_stage=target,
                    moved_on=day, note=note, moved_by_id=user.id)
    incubation.stage, incubation.stage_since = target, day
    db.session.add(row)
    db.session.flush()
    return row


def _registers(group: Organization, credit_code: str) -> None:
    """A filed group that has registered: its credit code (GB 32100 check) replaces the
    filing as its identity, and the bureau verifies it again."""
    if not group.is_filed:
        raise GroupError(_l("This organization is already registered with a credit code."))
    code = orgs.check_credit_code(credit_code)
    with claim({"uq_organization_tenant_id_credit_code": GroupError(
            _l("An organization with this credit code is already registered here."))}):
        group.credit_code, group.standing = code, Standing.REGISTERED
    group.status, group.submitted_at = OrgStatus.PENDING, utcnow()
    orgs.tell_bureau(group)


def add_milestone(incubation: Incubation, user: User, *, title: str,
                  due_on: date | None) -> Milestone:
    if incubation.stage == Stage.GRADUATED:
        raise GroupError(_l("This group has already graduated from the incubator."))
    title = _text(title, TITLE_MAX, _l("Please name the milestone."))
    if due_on is None or not FIRST_DAY <= due_on <= LAST_DAY:
        raise GroupError(_l("Please give the day the milestone is due."))
    if due_on < incubation.stage_since:
        raise GroupError(_l("A milestone cannot be due before the group's present stage began."))
    row = Milestone(tenant_id=incubation.tenant_id, org_id=incubation.org_id,
                    incubation_id=incubation.id, title=title, due_on=due_on,
                    added_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    return row


def complete_milestone(milestone: Milestone, user: User, *, day: date | None, evidence: str,
                       document: uploads.Upload | None = None) -> Milestone:
    """Mark a milestone done on ``day``, with what shows it (and a file if there is one)."""
    hold(milestone)
    if milestone.done_on is not None:
        raise GroupError(_l("This milestone is already done."))
    day = _day(day, milestone.incubation.moves[0].moved_on if milestone.incubation.moves
               else FIRST_DAY, _l("The day cannot be before the group entered the incubator."))
    milestone.evidence_note = _text(evidence, NOTE_MAX, _l(
        "Please say what shows the milestone is met."))
    if document is not None:
        milestone.evidence_file = uploads.store(document, milestone.tenant_id,
                                                f"orgs/{milestone.org_id}/milestones")
        milestone.evidence_mime = document.mime
    milestone.done_on, milestone.done_by_id = day, user.id
    db.session.flush()
    return milestone


def add_training(group: Organization, user: User, *, person: str, course: str,
                 minutes: int | None, day: date | None) -> LeaderTraining:
    person = _text(person, PERSON_MAX, _l("Please give the name of the person trained."))
    course = _text(course, COURSE_MAX, _l("Please name the course."))
    if minutes is None or not 0 < minutes <= TRAINING_MAX_MINUTES:
        raise GroupError(_l("Please give the length of the training: more than 0 and at most "
                            "%(n)d hours.", n=TRAINING_MAX_MINUTES // 60))
    day = _day(day, FIRST_DAY, _l("Please give the day."))
    row = LeaderTraining(tenant_id=group.tenant_id, org_id=group.id, person=person,
                         course=course, minutes=minutes, trained_on=day, recorded_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    return row
