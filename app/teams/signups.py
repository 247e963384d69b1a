"""A team signs up for a shift together: k places at once, all or none.

The same guarantees as one volunteer's sign-up (``app.projects.signups``), in the same
order of locks, so team and single sign-ups racing for one shift never overfill it:

1. each registered member's volunteer record is locked (in id order, so two teams sharing a
   member cannot deadlock), and what concerns them alone is checked: registered, not already
   on the shift, no other shift at that time, insured when the shift needs it; any refusal
   refuses the whole team, naming who and why;
2. the shift's row is locked, the waitlist is served first (a free place owed to someone
   waiting goes to them), then ``UPDATE … SET confirmed_count = confirmed_count + k WHERE
   confirmed_count + k <= capacity`` takes the k places, or nothing;
3. the CHECK constraint ``confirmed_count <= capacity`` is the last line.

Waitlist: a team is never put on the waitlist. A team serves together, and a team waiting in
line would take the places of people who came before it one by one; when fewer than k places
are free the sign-up is refused, saying how many are left. Free places exist only while no
one waits, so a team never overtakes the line. When a team cancels, its freed places go to
the first people waiting, as any withdrawal's do.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.projects import signups
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.projects.places import lock
from app.projects.signups import SignupError, cancel_deadline, fill_from_waitlist, local_day
from app.teams.models import MemberStatus, Team, TeamMember, TeamPlace, TeamSignup, TeamSignupStatus
from app.volunteers.models import VolunteerProfile, insured_on

_PROFILES = (select(VolunteerProfile.user_id, VolunteerProfile.insurance_policy,
                    VolunteerProfile.insurance_expires)
             .where(VolunteerProfile.tenant_id == bindparam("tenant_id"),
                    VolunteerProfile.user_id.in_(bindparam("user_ids", expanding=True)))
             .order_by(VolunteerProfile.id).with_for_update())


def _taking(k: int):
    return (update(Shift).where(Shift.id == bindparam("shift_id"),
                                Shift.confirmed_count + k <= Shift.capacity,
                                Shift.cancelled_at.is_(None), Shift.starts_at > bindparam("now"))
            .values(confirmed_count=Shift.confirmed_count + k).returning(Shift.confirmed_count)
            .execution_options(synchronize_session=False))


def current(team: Team, shift: Shift) -> TeamSignup | None:
    return db.session.scalar(select(TeamSignup).where(TeamSignup.team_id == team.id,
                                                      TeamSignup.shift_id == shift.id))


def _check_people(shift: Shift, people: list[TeamMember]) -> None:
    """Lock each registered member's volunteer record and check what concerns them alone."""
    if shift.insurance_required and (unnamed := [m for m in people if m.user_id is None]):
        raise SignupError(_l("This activity carries personal risk and needs accident insurance, "
                             "which is on record only for registered volunteers: %(names)s "
                             "cannot be signed up.", names="、".join(m.name for m in unnamed)))
    registered = {m.user_id: m for m in people if m.user_id is not None}
    if not registered:
        return
    found = {row.user_id: row for row in db.session.execute(_PROFILES, {
        "tenant_id": shift.tenant_id, "user_ids": sorted(registered)})}
    refusals = []
    day = local_day(shift.starts_at)
    for user_id, member in registered.items():
        name = member.display_name
        profile = found.get(user_id)
        if profile is None:
            refusals.append(_l("%(name)s is not registered as a volunteer.", name=name))
            continue
        own, clash = signups.own_around(member.user, shift)
        if own is not None and own.status != SignupStatus.CANCELLED:
            refusals.append(_l("%(name)s is already signed up for this shift.", name=name))
        elif clash is not None:
            refusals.append(_l("%(name)s already has a shift at that time.", name=name))
        elif shift.insurance_required and not insured_on(
                profile.insurance_policy, profile.insurance_expires, day):
            refusals.append(_l("%(name)s has no accident insurance valid on the day.", name=name))
    if refusals:
        raise SignupError(" ".join(str(r) for r in refusals))


def sign_up(team: Team, leader: User, shift: Shift, member_ids: list[int]) -> TeamSignup:
    """The leader signs up the chosen members of the team for ``shift``: every one of them
    gets a place, or no one does."""
    signups.check_open(shift)
    wanted = {i for i in member_ids if isinstance(i, int) and 0 < i < 2**31}
    people = list(db.session.scalars(select(TeamMember).where(
        TeamMember.team_id == team.id, TeamMember.id.in_(wanted),
        TeamMember.status == MemberStatus.ACTIVE).order_by(TeamMember.id))) if wanted else []
    if not people or len(people) != len(set(member_ids)):
        raise SignupError(_l("Choose the members who will serve, from the team's roster."))
    row = current(team, shift)
    if row is not None and row.status == TeamSignupStatus.CONFIRMED:
        raise SignupError(_l("The team is already signed up for this shift."))
    _check_people(shift, people)
    k = len(people)
    shift = lock(Shift, shift.id)
    signups.check_open(shift)
    fill_from_waitlist(shift)  # places owed to people waiting are theirs first
    now = utcnow()
    taken = db.session.execute(_taking(k), {"shift_id": shift.id, "now": now}).scalar()
    if taken is None:
        db.session.refresh(shift, ["confirmed_count"])
        raise SignupError(_l("Only %(free)s places are left on this shift; the team needs "
                             "%(k)s. Choose fewer members or another shift.",
                             free=shift.remaining, k=k))
    db.session.refresh(shift, ["confirmed_count"])
    if row is None:
        row = TeamSignup(tenant_id=shift.tenant_id, org_id=shift.org_id, team_id=team.id,
                         shift_id=shift.id)
        db.session.add(row)
    else:
        for old in row.places:
            db.session.delete(old)
    row.status, row.signed_up_by_id = TeamSignupStatus.CONFIRMED, leader.id
    row.confirmed_at, row.cancelled_at = now, None
    db.session.flush()
    for member in people:
        place = TeamPlace(tenant_id=shift.tenant_id, org_id=shift.org_id, team_signup_id=row.id,
                          member_id=member.id, shift_id=shift.id, held=member.user_id is None,
                          scheduled_minutes=shift.duration_minutes)
        if member.user_id is not None:
            place.signup = _own_signup(shift, member.user_id, now)
        db.session.add(place)
    db.session.flush()
    _tell_members(row, _l("Your team is signed up: %(project)s", project=shift.project.name),
                  _l("%(leader)s signed the team %(team)s up: %(when)s, %(place)s.",
                     leader=leader.name, team=team.name, when=signups.local_when(shift),
                     place=shift.place), skip=leader.id)
    return row


def _own_signup(shift: Shift, user_id: int, now) -> ShiftSignup:
    """A registered member's confirmed sign-up of their own (a cancelled one is taken up
    again: one sign-up per person and shift)."""
    own = db.session.scalar(select(ShiftSignup).where(ShiftSignup.shift_id == shift.id,
                                                      ShiftSignup.user_id == user_id))
    if own is None:
        own = ShiftSignup(tenant_id=shift.tenant_id, shift_id=shift.id, user_id=user_id,
                          created_at=now)
        db.session.add(own)
    own.status, own.queued_at, own.confirmed_at, own.cancelled_at = (
        SignupStatus.CONFIRMED, now, now, None)
    return own


def holding(row: TeamSignup) -> list[TeamPlace]:
    """The places the team still holds: named people's, and registered members' own sign-ups
    still confirmed (a member may have withdrawn alone)."""
    return [p for p in row.places
            if p.held or (p.signup is not None and p.signup.status == SignupStatus.CONFIRMED)]


def cancel(row: TeamSignup, by: User) -> TeamSignup:
    """The leader cancels the team's sign-up (until the project's deadline): every place it
    holds is freed at once and goes to the first people waiting."""
    shift = lock(Shift, row.shift_id)
    was_full = shift.remaining == 0
    db.session.refresh(row)
    if row.status == TeamSignupStatus.CANCELLED:
        raise SignupError(_l("This sign-up has already been cancelled."))
    now = utcnow()
    if shift.is_cancelled or now > cancel_deadline(shift):
        raise SignupError(_l("Cancellation closed %(hours)s hours before the start. "
                             "Please contact the organizer.",
                             hours=shift.project.cancel_deadline_hours))
    freed = holding(row)
    for place in freed:
        if place.signup is not None:
            place.signup.status, place.signup.cancelled_at = SignupStatus.CANCELLED, now
        place.held = False
    if freed:
        db.session.execute(update(Shift).where(Shift.id == shift.id)
                           .values(confirmed_count=Shift.confirmed_count - len(freed))
                           .execution_options(synchronize_session=False))
        db.session.refresh(shift, ["confirmed_count"])
    row.status, row.cancelled_at = TeamSignupStatus.CANCELLED, now
    db.session.flush()
    fill_from_waitlist(shift)
    from app.marketplace.match_notices import announce_freed

    announce_freed(shift, was_full)
    _tell_members(row, _l("Cancelled: %(project)s", project=shift.project.name),
                  _l("%(leader)s cancelled the team's sign-up: %(when)s.",
                     leader=by.name, when=signups.local_when(shift)), skip=by.id)
    return row


def _tell_members(row: TeamSignup, title, body, skip: int) -> None:
    link = signups.place_link(row.shift)
    for place in row.places:
        user = place.member.user
        if user is not None and user.id != skip:
            notify(user, title, body, link=link, tenant_id=row.tenant_id)


def of_team(team: Team) -> list[TeamSignup]:
    """The team's sign-ups, soonest shift first."""
    return list(db.session.scalars(select(TeamSignup).join(Shift, Shift.id == TeamSignup.shift_id)
                                   .where(TeamSignup.team_id == team.id)
                                   .order_by(Shift.starts_at.desc())))


def on_shift(shift: Shift) -> list[TeamSignup]:
    """Teams signed up for a shift (for its roster)."""
    return list(db.session.scalars(select(TeamSignup).where(
        TeamSignup.shift_id == shift.id, TeamSignup.status == TeamSignupStatus.CONFIRMED)
        .order_by(TeamSignup.confirmed_at)))
