"""Demo: residents on the district's roll (the bureau's 居民信息) and two consultations — 幸福社区's
on what to buy for its elderly, published with online, paper-ballot and meeting votes (the
call for 独居老人关爱服务 cites it), and 和平社区's, open now, with a few votes and comments and
room for more. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.residents.models import ResidentProfile
from app.service.hours import local_date
from app.tenancy.models import Area, Tenant

ORDER = 48  # after needs (40), before funding (50), whose call cites the published result

#: Residents on the roll: (account, name, grid). The first twelve are the demo's residents and
#: volunteers; the others are neighbours who joined to vote.
ROLL = [
    ("13900000001", "周大爷", "幸福社区第1网格"), ("13900000002", "吴阿姨", "和平社区第1网格"),
    ("13900000003", "郑奶奶", "幸福社区第1网格"), ("13900000004", "孙先生", "和平社区第2网格"),
    ("13900000005", "马女士", "幸福社区第2网格"), ("13900000006", "朱同学", "幸福社区第1网格"),
    ("13800000001", "张伟", "幸福社区第1网格"), ("13800000002", "王芳", "幸福社区第2网格"),
    ("13800000003", "李娜", "和平社区第1网格"), ("13800000004", "刘洋", "和平社区第2网格"),
    ("13800000005", "陈静", "幸福社区第1网格"), ("13800000006", "杨磊", "幸福社区第2网格"),
    ("13900000011", "何阿姨", "幸福社区第1网格"), ("13900000012", "罗师傅", "幸福社区第2网格"),
    ("13900000013", "高奶奶", "幸福社区第1网格"), ("13900000014", "林先生", "幸福社区第2网格"),
    ("13900000015", "宋阿姨", "和平社区第1网格"), ("13900000016", "谢大爷", "和平社区第2网格"),
]

PUBLISHED = "幸福社区2027年为老服务先办哪件事"
#: (option, online voters by account)
PUBLISHED_OPTIONS = [
    ("独居老人每周上门探访", ["13900000001", "13900000005", "13800000001", "13800000005",
                              "13900000011", "13900000013"]),
    ("社区老年食堂送餐", ["13800000002", "13900000012", "13800000006"]),
    ("楼道加装扶手", ["13900000014"]),
]
#: (option index, source, days before publishing, votes, note): the residents on the roll who
#: did not vote online (14 in 幸福社区, 10 voted online), one vote each wherever cast.
PUBLISHED_TALLIES = [
    (0, "paper", 9, 2, "3号楼纸质票箱，两名居民代表开箱计票"),
    (1, "paper", 9, 1, "3号楼纸质票箱，两名居民代表开箱计票"),
    (0, "meeting", 8, 1, "社区居民议事会，举手表决"),
]
PUBLISHED_COMMENTS = [
    ("13900000001", "我一个人住，有人每周来看看最安心。"),
    ("13800000002", "食堂也很要紧，好多老人中午就凑合一顿。"),
]
OPEN = "和平社区儿童放学后托管和辅导，先办哪一项"
OPEN_OPTIONS = ["放学后作业辅导（周一至周五）", "周末亲子阅读活动", "暑期安全教育课"]
OPEN_VOTES = [("13900000002", 0), ("13800000003", 0), ("13900000015", 1)]
OPEN_COMMENTS = [("13900000002", "孩子爸妈都在外地打工，平时作业没人管，希望先办辅导。")]


def _person(account: str, name: str) -> User:
    """The demo's account, or a new one registered as on the form (with consent)."""
    from app.auth import services as auth
    from app.demo import DEMO_PASSWORD
    from app.personal import services as consent

    user = auth.find_user(account)
    if user is None:
        user = auth.register_user(account, name, DEMO_PASSWORD)
        consent.agree(user)
    return user


def _roll(tenant: Tenant) -> dict[str, User]:
    from app.auth import services as auth

    areas = {a.name: a for a in db.session.scalars(select(Area).where(Area.tenant_id == tenant.id))}
    people = {}
    for account, name, grid in ROLL:
        user = _person(account, name)
        auth.grant_role(user, tenant.id, Role.RESIDENT)
        if db.session.scalar(select(ResidentProfile.id).where(
                ResidentProfile.tenant_id == tenant.id, ResidentProfile.user_id == user.id)) is None:
            db.session.add(ResidentProfile(tenant_id=tenant.id, user_id=user.id,
                                           area_id=areas[grid].id))
        people[account] = user
    db.session.flush()
    return people


def step(tenant: Tenant) -> str | None:
    from app.consultations import services
    from app.consultations.models import Consultation

    people = _roll(tenant)
    if db.session.scalar(select(Consultation.id).where(Consultation.tenant_id == tenant.id)
                         .limit(1)):
        return None
    officer = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
    community = {a.name: a for a in db.session.scalars(select(Area).where(
        Area.tenant_id == tenant.id, Area.level == "社区"))}
    now = utcnow()

    opened = now - timedelta(days=24)
    done = services.open_consultation(
        tenant, officer, area=community["幸福社区"], title=PUBLISHED,
        description="明年区里给幸福社区买一项为老服务，请大家选出最希望先办的一件。"
                    "网上每人一票，也可以投纸质票或在居民议事会上表决。",
        opens_at=opened, closes_at=opened + timedelta(days=14),
        proposals=[title for title, _voters in PUBLISHED_OPTIONS], now=opened)
    for option, (_title, voters) in zip(done.options, PUBLISHED_OPTIONS, strict=True):
        for i, account in enumerate(voters):
            services.vote(done, people[account], option.id, now=opened + timedelta(days=1 + i))
    for account, body in PUBLISHED_COMMENTS:
        services.comment(done, people[account], body, now=opened + timedelta(days=3))
    closed = opened + timedelta(days=14)
    services.close(done, officer, now=closed)
    for index, source, days, votes, note in PUBLISHED_TALLIES:
        services.enter_tally(done, officer, option_id=done.options[index].id, source=source,
                             held_on=local_date(closed - timedelta(days=days)), votes=votes,
                             note=note, now=closed + timedelta(hours=2))
    services.publish(done, officer, now=closed + timedelta(days=1))

    started = now - timedelta(days=2)
    running = services.open_consultation(
        tenant, officer, area=community["和平社区"], title=OPEN,
        description="和平社区不少孩子放学后没人照看。区里准备买一项儿童关爱服务，请居民选出最需要的一项。",
        opens_at=started, closes_at=now + timedelta(days=12), proposals=OPEN_OPTIONS,
        now=started)
    for i, (account, index) in enumerate(OPEN_VOTES):
        services.vote(running, people[account], running.options[index].id,
                      now=started + timedelta(hours=3 + i))
    for account, body in OPEN_COMMENTS:
        services.comment(running, people[account], body, now=started + timedelta(hours=5))
    return "consultations: one published, one open"
