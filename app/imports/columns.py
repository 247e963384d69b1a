"""The spreadsheets' columns, per kind of import: the headers people see (the file format, so
fixed Chinese whatever the page's language), which are required, the example row, and the
list each column's choices come from.

Headers are matched by their text (a ``*`` marking a required column and spaces are ignored),
so columns may come in any order and extra ones (like the annotated file's 错误说明) are left
aside.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.imports.labels import KIND
from app.imports.models import ImportKind

#: Lists a column's choices come from: the tenant's settings, its areas, fixed words.
AREAS, CATEGORIES, GROUPS, ORG_KINDS, GENDERS, YES_NO = (
    "areas", "categories", "groups", "org_kinds", "genders", "yes_no")
GENDER_WORDS = {"男": "M", "女": "F"}
YES, NO = "是", "否"
ERRORS_HEADER = "错误说明"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 14
    choices: str | None = None
    #: Kept as text in the template (long numbers that Excel would otherwise round).
    text: bool = False
    hint: object = ""

    @property
    def title(self) -> str:
        return self.header + ("*" if self.required else "")


@dataclass(frozen=True)
class Spec:
    kind: str
    sheet: str
    label: object
    columns: tuple[Column, ...]
    example: tuple
    key_hint: object

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def normalize_header(text) -> str:
    return "".join(str(text or "").replace("*", "").replace("＊", "").split())


# The example ID number is valid (its check digit is right) and belongs to nobody: a row equal
# to the example is skipped, so a template sent back unchanged imports nothing.
_EXAMPLE_ID = "110101199003070011"

SPECS: dict[str, Spec] = {s.kind: s for s in (
    Spec(ImportKind.VOLUNTEERS, "志愿者", KIND["volunteers"], (
        Column("real_name", "真实姓名", True, 12),
        Column("id_number", "身份证号码", True, 22, text=True,
               hint=_l("18 characters; the last one may be X.")),
        Column("gender", "性别", width=8, choices=GENDERS,
               hint=_l("男 or 女; may be left empty (read from the ID number).")),
        Column("birth_date", "出生日期", width=12,
               hint=_l("Year-month-day; may be left empty (read from the ID number).")),
        Column("phone", "手机号", True, 14, text=True,
               hint=_l("11 digits; the volunteer signs in with it.")),
        Column("area", "居住区域", width=28, choices=AREAS),
        Column("skills", "专业技能", width=20),
        Column("categories", "服务类别", width=22,
               hint=_l("One or more of the district's service categories, separated by 、")),
        Column("consent", "同意记录个人信息", True, 16, choices=YES_NO,
               hint=_l("是: the volunteer agreed in writing that their information is recorded.")),
    ), ("张三", _EXAMPLE_ID, "男", "1990-03-07", "13800000000", "", "急救", "助老服务", YES),
        _l("One row per volunteer, keyed by the ID number.")),
    Spec(ImportKind.RESIDENTS, "居民", KIND["residents"], (
        Column("name", "姓名", True, 12),
        Column("phone", "手机号", True, 14, text=True,
               hint=_l("11 digits; the resident signs in with it.")),
        Column("area", "居住区域", True, 28, choices=AREAS),
        Column("group", "服务对象", width=14, choices=GROUPS),
        Column("id_number", "身份证号码", width=22, text=True,
               hint=_l("May be left empty. With it, the resident can claim the account online "
                       "(first sign-in with the mobile and ID number).")),
    ), ("李四", "13900000000", "", "独居老人", ""),
        _l("One row per resident, keyed by the mobile number.")),
    Spec(ImportKind.ORGANIZATIONS, "社会组织", KIND["organizations"], (
        Column("name", "组织名称", True, 24),
        Column("credit_code", "统一社会信用代码", True, 22, text=True,
               hint=_l("18 characters with its check character.")),
        Column("kind", "组织类型", True, 14, choices=ORG_KINDS),
        Column("legal_representative", "法定代表人", width=12),
        Column("contact_name", "联系人", True, 12),
        Column("contact_phone", "联系人手机号", True, 14, text=True),
    ), ("示例社区服务中心", "91350100M000100Y43", "群众生活类", "王五", "王五", "13700000000"),
        _l("One row per organization, keyed by the unified social credit code.")),
    Spec(ImportKind.RECORDS, "服务记录", KIND["records"], (
        Column("id_number", "志愿者身份证号码", True, 22, text=True,
               hint=_l("The volunteer must already be registered in the district.")),
        Column("date", "服务日期", True, 12, hint=_l("Year-month-day, not after today.")),
        Column("start", "开始时间", width=10, hint=_l("Hours:minutes, e.g. 09:30.")),
        Column("end", "结束时间", width=10),
        Column("hours", "服务时长（小时）", width=14,
               hint=_l("Needed when the start and end are not given.")),
        Column("org", "组织名称", width=24,
               hint=_l("The organization that recorded the service (its name or credit code).")),
        Column("activity", "活动名称", True, 24),
        Column("category", "服务类别", width=14, choices=CATEGORIES),
        Column("place", "服务地点", width=20),
        Column("content", "服务内容", width=30),
    ), (_EXAMPLE_ID, "2026-01-10", "09:00", "11:30", "", "示例社区服务中心", "重阳节探访",
        "助老服务", "幸福社区", "陪伴聊天"),
        _l("One row per service, keyed by the volunteer, the organization and the start.")),
)}


#: A national-system row equal to this is the example, skipped like the templates' own.
_NATIONAL_EXAMPLE = {"record_key": "示例-0001", "real_name": "张三", "id_type": "居民身份证",
                     "id_number": _EXAMPLE_ID, "activity": "重阳节探访", "date": "2026-01-10",
                     "hours": "2.5", "organizing_unit": "示例社区服务中心"}
_TEXT_FORMATS = ("text", "id_number", "phone")


def national_spec() -> Spec:
    """The national system's service-record layout (``app.national.mapping``), read each time
    so that a changed template is followed."""
    from app.national import mapping

    layout = mapping.current().records
    return Spec(ImportKind.NATIONAL, layout.sheet, KIND["national_records"], tuple(
        Column(c.field, c.header, c.required, c.width, text=c.format in _TEXT_FORMATS)
        for c in layout.columns), tuple(_NATIONAL_EXAMPLE.get(c.field, "") for c in layout.columns),
        _l("One row per service record of the national system, keyed by its record number: "
           "importing it again adds nothing."))


def kinds() -> list[str]:
    return [*SPECS, ImportKind.NATIONAL.value]


def spec(kind: str) -> Spec:
    return national_spec() if kind == ImportKind.NATIONAL else SPECS[kind]
