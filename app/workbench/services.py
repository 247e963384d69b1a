"""The workbench (工作台): what a signed-in person has to do now, in one page.

Each role a person holds in the tenant contributes sections (``people``: resident and
volunteer; ``staff``: an organization's admin, coordinator and bookkeeper; ``bureau``: the
bureau officer, the auditor and the overseer). A section is a short list with an exact
count, each line linking to where the thing is done. The domains' own queue functions do
the querying (one query per section); nothing here loops over rows to query again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _

from app.auth.models import ORG_ROLES, Role, User
from app.templating import SHANGHAI
from app.tenancy.models import Tenant

#: Lines shown per section; the count and the "all" link cover the rest.
SHOWN = 5


class Urgency:
    """Sections are ordered by this, then by the order the roles were added."""

    DEADLINE = 0  # a date is close or passed
    WAITING = 1  # someone waits for this person's decision or answer
    PLANNED = 2  # the person's own appointments
    SUGGESTED = 3  # things to take up, progress, overviews


@dataclass
class Item:
    label: str
    href: str
    when: str = ""
    note: str = ""
    #: A button's words when the line is an action to take now ("签到").
    action: str = ""
    urgent: bool = False
    #: A picture (static path), e.g. the service category's.
    icon: str = ""


@dataclass
class Section:
    key: str
    title: str
    #: Whose hat this is ("居民", "志愿者", an organization's name, "民政局"…).
    hat: str
    urgency: int
    count: int = 0
    items: list[Item] = field(default_factory=list)
    more: str | None = None
    more_label: str = ""
    #: What to say when empty; a section without it is left out when empty ("nothing waits").
    empty: str = ""
    #: Figures shown large (hours, stars, points), as (label, value) pairs.
    figures: list[tuple[str, str]] = field(default_factory=list)
    #: A progress bar: (value, maximum, words).
    progress: tuple[int, int, str] | None = None
    #: A line of words under the figures ("上次核验：…").
    note: str = ""

    @property
    def is_task(self) -> bool:
        return self.urgency <= Urgency.WAITING

    @property
    def truncated(self) -> bool:
        """More waits than the list shows."""
        return len(self.items) == SHOWN and self.count > SHOWN

    @property
    def empty_now(self) -> bool:
        """Nothing to show but the words for "none" (sorted after the rest)."""
        return not (self.count or self.items or self.figures)


@dataclass
class Workbench:
    greeting: str
    today: str
    sections: list[Section]
    #: Task sections with nothing waiting: named once, in a line.
    clear: list[str]

    @property
    def hats(self) -> int:
        """How many hats the person wears here (one: no need to say whose each section is)."""
        return len({s.hat for s in self.sections})

    @property
    def waiting(self) -> int:
        return sum(s.count for s in self.sections if s.is_task)


def _zh() -> bool:
    return str(get_locale() or "zh").startswith("zh")


def when(moment: datetime, now: datetime) -> str:
    """``今天 09:00``, ``明天 14:00``, ``12月8日周二 09:00`` (Beijing time, the reader's language)."""
    local, today = moment.astimezone(SHANGHAI), now.astimezone(SHANGHAI).date()
    locale = "zh_CN" if _zh() else "en"
    clock = format_skeleton("Hm", local, locale=locale, tzinfo=SHANGHAI)
    if local.date() == today:
        return _("Today %(time)s", time=clock)
    if local.date() == today + timedelta(days=1):
        return _("Tomorrow %(time)s", time=clock)
    return f"{format_skeleton('MMMEd', local, locale=locale, tzinfo=SHANGHAI)} {clock}"


def day(moment: datetime) -> str:
    """``12月8日周二``."""
    local = moment.astimezone(SHANGHAI)
    return format_skeleton("MMMEd", local, locale="zh_CN" if _zh() else "en", tzinfo=SHANGHAI)


def member(user: User, tenant: Tenant) -> bool:
    """Whether ``user`` holds any role here (else the front page is the visitors' one)."""
    return bool(user.roles_in(tenant.id))


def build(user: User, tenant: Tenant, now: datetime) -> Workbench:
    from app.workbench import areas, bureau, complaints, needs, people, staff

    roles = user.roles_in(tenant.id)
    sections: list[Section] = []
    if Role.BUREAU_OFFICER in roles:
        sections += areas.sections(user, tenant, now)
        sections += bureau.officer(user, tenant, now)
    if roles & ORG_ROLES:
        sections += staff.sections(user, tenant, now)
    if Role.AUDITOR in roles:
        sections += bureau.auditor(user, tenant, now)
    if Role.OVERSEER in roles:
        sections += bureau.overseer(user, tenant, now)
    if Role.VOLUNTEER in roles:
        sections += people.volunteer(user, tenant, now)
    if Role.RESIDENT in roles:
        sections += people.resident(user, tenant, now)
    sections += needs.sections(user, tenant, now)
    sections += complaints.sections(user, tenant, now)
    seen: set[str] = set()
    shown, clear = [], []
    for section in sections:
        if section.key in seen:  # two roles asking the same (bureau officer and auditor)
            continue
        seen.add(section.key)
        if section.count or section.empty or section.figures or (
                section.items and not section.is_task):
            shown.append(section)
        else:
            clear.append(section.title)
    order = {id(s): i for i, s in enumerate(shown)}
    shown.sort(key=lambda s: (s.empty_now, s.urgency, order[id(s)]))
    local = now.astimezone(SHANGHAI)
    return Workbench(
        greeting=_("Hello, %(name)s", name=user.name),
        today=format_skeleton("yMMMEd", local, locale="zh_CN" if _zh() else "en",
                              tzinfo=SHANGHAI),
        sections=shown, clear=clear)
