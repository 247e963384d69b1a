"""A generated corpus of projects in realistic community-service Chinese (with some Latin,
digits, full-width forms and punctuation), and a plain substring scan over it in Python that
says what the marketplace search must find and in which order."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.projects.models import Project, ProjectStatus

PLACES = ["幸福", "和平", "光明", "春晖", "金桥", "翠苑", "东湖", "西山", "南桥", "柳岸"]
SERVICES = [
    "独居老人上门陪伴", "长者助餐", "老年人智能手机课堂", "重阳敬老", "助老理发", "失能老人喘息服务",
    "四点半课堂", "暑期托管", "亲子阅读", "留守儿童陪伴", "儿童安全教育", "青少年心理辅导",
    "康复训练陪伴", "无障碍出行协助", "助残手工坊", "盲人读书会", "法律咨询进社区", "防诈骗宣传",
    "邻里纠纷调解", "心理疏导热线", "家庭关系讲座", "减压读书会", "垃圾分类宣传", "楼道清洁行动",
    "社区微花园", "广场舞公益课", "书法兴趣班", "社区运动会", "家电义务维修", "爱心超市",
    "邻里互助时间银行", "义诊送药", "健康讲座", "慢病管理随访", "应急救护培训", "消防安全演练",
    "新市民融入", "就业技能培训", "残疾人就业帮扶", "困境家庭帮扶", "节日慰问", "志愿者骨干培训",
]
WORDS = [
    "志愿者", "居委会", "网格员", "社工", "长者", "老人", "儿童", "家长", "居民", "楼栋长",
    "上门", "陪伴", "聊天", "读报", "测血压", "理发", "送餐", "助浴", "助洁", "代购",
    "课堂", "讲座", "培训", "义诊", "咨询", "调解", "宣传", "回访", "探访", "结对",
    "活动室", "服务站", "党群服务中心", "卫生服务站", "养老驿站", "日间照料中心", "图书角",
    "免费", "定期", "每周", "每月", "周末", "节假日", "长期", "固定", "专业", "公益",
    "需求", "档案", "时长", "积分", "满意度", "安全", "保险", "急救", "急救箱", "灭火器",
]
LATIN = ["APP", "Wi-Fi", "AED", "DIY", "ＡＥＤ", "ＤＩＹ手工", "5G", "ＱＱ群", "微信群", "PPT",
         "Python", "IT", "O2O", "App使用", "二维码", "No.1", "3D打印", "K歌"]
PUNCT = ["，", "。", "、", "；", "：", "（演示）", "(试点)", "——", "“暖心”", "！", "100%", "1_2"]
CATEGORIES = ["助老服务", "儿童关爱", "助残服务", "法律咨询", "心理关怀", "环境保护", "文体活动", "邻里互助"]
GROUPS = ["独居老人", "留守儿童", "残疾人", "社区居民", "低收入家庭"]


def normalise(text: str) -> str:
    """How the search compares text: compatibility forms folded (full-width Ａ, （）,
    ideographic spaces), Latin case ignored."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass
class Row:
    """What the scan knows of a project: written down as it was created, not read back."""

    id: int
    tenant_id: int
    org_id: int
    area_id: int | None
    name: str
    theme: str
    highlights: str
    content: str
    category: str
    groups: list[str]
    status: str
    published_at: datetime | None
    fields: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        self.fields = tuple(normalise(t) for t in (self.name, self.theme, self.highlights,
                                                   self.content))

    def contains(self, term: str) -> bool:
        return any(term in text for text in self.fields)


def sentence(rng: random.Random, words: int) -> str:
    parts = []
    for _ in range(words):
        pick = rng.random()
        pool = WORDS if pick < 0.75 else SERVICES if pick < 0.88 else LATIN if pick < 0.95 else PUNCT
        parts.append(rng.choice(pool))
    return "".join(parts) + rng.choice(["。", "，", "；", "", " "])


def build(rng: random.Random, tenant_id: int, org_ids: list[int], area_ids: list[int],
          count: int, now: datetime) -> list[Row]:
    """``count`` projects written through the ORM (as the app writes them), most published."""
    from app.extensions import db

    made: list[tuple[Project, dict]] = []
    for _ in range(count):
        status = rng.choices([ProjectStatus.PUBLISHED, ProjectStatus.DRAFT, ProjectStatus.CLOSED,
                              ProjectStatus.CANCELLED], [85, 7, 5, 3])[0]
        spec = {
            "name": f"{rng.choice(PLACES)}社区{rng.choice(SERVICES)}"
                    f"{rng.choice(['', '项目', '计划', '行动', '（演示）', ' 2.0', 'ＰＬＵＳ'])}",
            "theme": sentence(rng, rng.randint(0, 3)),
            "highlights": sentence(rng, rng.randint(0, 6)),
            "content": "".join(sentence(rng, rng.randint(2, 8)) for _ in range(rng.randint(1, 4))),
            "category": rng.choice(CATEGORIES),
            "target_groups": rng.sample(GROUPS, rng.randint(0, 2)),
            "org_id": rng.choice(org_ids),
            "area_id": rng.choice(area_ids + [None]),
            "status": status,
            # Few distinct times: the order must also hold among projects published together.
            "published_at": (now - timedelta(hours=rng.randint(0, 400))
                             if status != ProjectStatus.DRAFT else None),
        }
        project = Project(tenant_id=tenant_id, **spec)
        db.session.add(project)
        made.append((project, spec))
    db.session.flush()
    return [Row(id=p.id, tenant_id=tenant_id, org_id=s["org_id"], area_id=s["area_id"],
                name=s["name"], theme=s["theme"], highlights=s["highlights"],
                content=s["content"], category=s["category"], groups=s["target_groups"],
                status=s["status"], published_at=s["published_at"]) for p, s in made]


def expected(rows: list[Row], tenant_id: int, q: str, cap: int, *, category: str = "",
             group: str = "", org_id: int | None = None,
             area_ids: set[int] | None = None) -> tuple[list[int], int, bool]:
    """(ids in order, total shown, capped): every published project of the tenant containing
    every term of ``q``; when at most ``cap`` match, those whose name contains every term
    first; then the most recently published, the higher id first among equal times."""
    terms = normalise(q).split()
    found = [r for r in rows if r.tenant_id == tenant_id and r.status == ProjectStatus.PUBLISHED
             and all(r.contains(t) for t in terms)
             and (not category or r.category == category) and (not group or group in r.groups)
             and (org_id is None or r.org_id == org_id)
             and (area_ids is None or r.area_id in area_ids)]
    capped = len(found) > cap

    def key(r: Row):
        in_name = bool(terms) and not capped and all(t in r.fields[0] for t in terms)
        return (not in_name, -(r.published_at.timestamp() if r.published_at else float("inf")),
                -r.id)

    found.sort(key=key)
    return [r.id for r in found], min(len(found), cap), capped
