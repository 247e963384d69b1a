"""The glossary (术语表): one word per concept, in Chinese and English.

Each ``Term`` names a concept people meet on the pages, the English word (also the message id
the pages translate, so ``term("shift")`` gives the page's word in the reader's language), the
Chinese word the zh catalogs must give it, and the synonyms that must not appear in any zh
catalog for that concept. ``tests/test_glossary.py`` holds the catalogs to it, and
``docs/glossary.md`` is written from it (``flask i18n glossary``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    key: str
    label: object  # a lazy string: the English term and the message id pages use
    zh: str
    meaning_zh: str
    meaning_en: str
    avoid: tuple[str, ...] = ()

    @property
    def meaning(self) -> str:
        """What the term means, in the reader's language."""
        from flask_babel import get_locale

        return self.meaning_en if str(get_locale() or "zh").startswith("en") else self.meaning_zh

    @property
    def en(self) -> str:
        return self.label._args[0]  # the message id, whatever the current language


def _t(key: str, label, zh: str, meaning_zh: str, meaning_en: str, *avoid: str) -> Term:
    return Term(key, label, zh, meaning_zh, meaning_en, avoid)


PEOPLE = [
    _t("resident", _l("Resident"), "居民", "住在本区、接受社区服务的人。",
       "A person living in the district who receives community services."),
    _t("volunteer", _l("Volunteer"), "志愿者", "注册后参加志愿服务的居民，服务自愿、无偿。",
       "A resident registered to serve; the service is voluntary and unpaid."),
    _t("org_admin", _l("Organization admin"), "组织管理员", "社会组织的负责人，管理本组织的信息和工作人员。",
       "Runs an organization's details and staff."),
    _t("org_coordinator", _l("Coordinator"), "协调员", "组织中安排志愿岗位、登记考勤、审批时长的工作人员。",
       "Organization staff who run shifts, mark attendance and approve hours."),
    _t("org_bookkeeper", _l("Bookkeeper"), "报账员", "组织中录入支出、提交票据的工作人员。",
       "Organization staff who record spending and hand in receipts."),
    _t("bureau_officer", _l("Bureau officer"), "民政局工作人员", "区民政局负责社区服务和购买服务的工作人员。",
       "Staff of the district civil affairs bureau who run the program."),
    _t("auditor", _l("Auditor"), "审计人员", "民政局财务审计人员或第三方评估人员，只读查看全部数据。",
       "Bureau finance or third-party staff who read everything and change nothing."),
    _t("overseer", _l("Resident overseer"), "居务监督员",
       "居民代表，审核支出及其票据，签字确认或提出异议。",
       "A residents' representative who reviews spending with its receipts, and signs it off "
       "or objects to it.",
       "监督员"),
]

SERVICE = [
    _t("organization", _l("Organization"), "组织", "社会组织：登记或备案的社区服务组织。",
       "A social organization (registered or filed) that serves the community.", "团体"),
    _t("filed_group", _l("Filed community group"), "备案社区社会组织",
       "在街道或社区备案、没有统一社会信用代码的社区社会组织，通过依托单位开展活动、接受小额资助。",
       "A community group filed with the street or community rather than registered: it has "
       "no unified social credit code and acts, and receives small grants, through its sponsor.",
       "备案团体", "草根团体"),
    _t("sponsor", _l("Sponsor"), "依托单位",
       "为备案社区社会组织提供支持的枢纽型组织或孵化机构，确认后代其接受和管理资助资金。",
       "The hub or incubator organization that backs a filed group and, once it confirms, "
       "receives and keeps the books of the group's grants.", "挂靠单位"),
    _t("project", _l("Project"), "项目", "组织发布的一项社区服务，包括志愿岗位和服务名额。",
       "A community service an organization publishes, with shifts and service slots.",
       "服务项目名称"),
    _t("shift", _l("Volunteer shift"), "志愿岗位", "有时间、地点和人数的一段志愿服务，志愿者报名参加。",
       "A time and place where volunteers serve, with a number of places.", "班次", "值班"),
    _t("slot", _l("Service slot"), "服务名额", "居民预约接受服务的名额，有时间、地点和人数。",
       "Places for residents to receive a service, with a time and a capacity.",
       "服务时段", "服务场次"),
    _t("series", _l("Recurring schedule"), "重复安排",
       "按规则（每周某几天、每隔几周、每月第几个星期几）重复的志愿岗位或服务名额，"
       "每次的名额和候补各自独立。",
       "Shifts or service slots repeated by a rule (weekdays, every n weeks, the n-th "
       "weekday of the month), each date with its own places and waitlist.",
       "循环排班", "周期排班", "重复排期"),
    _t("team", _l("Volunteer team"), "志愿服务队",
       "由队长带领、一起报名志愿岗位的一群人：注册志愿者，或没有账号、只登记姓名和手机号的人；"
       "每人的服务时长记在本人名下。",
       "A group led by its leader that signs up for shifts together: registered volunteers, or "
       "people without an account known by name and mobile; each person's hours are their own.",
       "志愿小组", "志愿团队"),
    _t("team_leader", _l("Team leader"), "队长", "志愿服务队的负责人，管理名单并为全队报名。",
       "The person who leads a volunteer team, keeps its roster and signs it up.", "领队"),
    _t("booking", _l("Booking"), "预约", "居民占用一个服务名额。",
       "A resident's place on a service slot.", "预定", "预订"),
    _t("signup", _l("Sign-up"), "报名", "志愿者占用一个志愿岗位的名额。",
       "A volunteer's place on a shift.", "登记报名"),
    _t("waitlist", _l("Waitlist"), "候补", "名额已满时按先后排队，有空位时依次递补。",
       "First come, first served when a place frees up.", "等候名单", "排队名单"),
    _t("hours", _l("Service hours"), "服务时长", "实际服务的时间，不含往返路程，经核实后计入。",
       "Time actually served, travel excluded; counts once verified.", "工时", "小时数"),
    _t("service_record", _l("Service record"), "服务记录", "一次志愿服务的记录：活动、日期、地点、内容、时长。",
       "One activity served: name, date, place, content, hours.", "服务档案"),
    _t("volunteer_record", _l("Volunteer record"), "志愿者信息", "民政部令第67号要求的志愿者个人信息。",
       "A volunteer's personal details as the national rules ask for them.", "志愿者档案"),
    _t("volunteer_registration", _l("Register as a volunteer"), "注册为志愿者",
       "居民在本区注册成为志愿者（志愿服务条例的用语）。",
       "A resident joins as a volunteer (the wording of the national regulation).",
       "登记为志愿者"),
    _t("check_in", _l("Check in"), "签到", "到达时扫码或由协调员登记。",
       "Arrival, by scanning the code or marked by the coordinator.", "打卡"),
    _t("check_out", _l("Check out"), "签退", "离开时扫码或由协调员登记。",
       "Departure, by scanning the code or marked by the coordinator."),
    _t("proof", _l("Proof of service"), "志愿服务记录证明", "记录单位出具、平台代为生成的志愿服务记录证明，可扫码核验。",
       "The proof the recording organization gives, issued through the platform, verifiable by anyone.",
       "服务证书", "志愿证书", "志愿服务证书"),
    _t("recording_unit", _l("Recording unit"), "记录单位", "记录并核实服务时长的组织（谁记录谁证明）。",
       "The organization that recorded and verified the hours (whoever records, certifies)."),
    _t("points", _l("Points"), "积分", "核实时长换来的激励积分，只能兑换实物，不是报酬。",
       "Incentive points for verified hours, redeemed in kind, never wages."),
    _t("redemption", _l("Redemption"), "积分兑换", "志愿者在合作商户用积分换取实物。",
       "A volunteer exchanges points for goods at a partner merchant.", "积分抵扣"),
    _t("honour_list", _l("Honour list"), "光荣榜",
       "公开展示自愿上榜的志愿者及其星级和表彰奖励；未选择全名的只显示姓氏。",
       "Volunteers who chose to appear, with their stars and awards, shown to everyone; "
       "only the surname unless they chose the full name.", "荣誉榜", "光荣墙"),
    _t("time_bank", _l("Time bank"), "时间银行",
       "“今天服务别人，明天被人服务”：核实的服务时长存为时间币，可转赠亲友，也可用来支付全区任一组织的服务。",
       "Serve now, be served later: verified hours kept as time credits, given to family or "
       "used for a service of any organization in the district."),
    _t("time_credits", _l("Time credits"), "时间币",
       "时间银行里的时长，以小时计（精确到一刻钟）；不是积分，也不是报酬。",
       "Hours held in the time bank, to the quarter hour; neither points nor wages.",
       "时间积分"),
    _t("community_pool", _l("Community pool"), "社区互助池",
       "志愿者超出个人上限的时长捐入这里，由民政局发放给需要帮助的居民。",
       "Hours volunteers serve above their cap go here; the bureau gives them to residents "
       "in need."),
    _t("need", _l("Need"), "需求",
       "居民提出的一件具体的事（也叫微心愿），由本人或网格员、社区工作人员、志愿者代填；"
       "派给服务该区域和类别的组织，由一家组织承接、办结，居民确认并评价。",
       "A concrete thing a resident asks for (a small wish), posted by them or on their behalf; "
       "routed to the organizations serving the area and category, taken on by one, met, "
       "confirmed and rated by the resident.", "诉求单", "需求单"),
    _t("complaint", _l("Complaint"), "投诉",
       "居民对接受的服务、某个组织、某位志愿者或办事流程提出的不满；由涉及的组织（没有组织时由民政局）"
       "指定承办人限期答复，居民表示满意或要求重新处理。",
       "A resident's grievance about a service, an organization, a volunteer or the process; "
       "the organization concerned (else the bureau) names a handler who answers by a deadline, "
       "and the resident is satisfied or asks for it to be handled again.", "举报"),
    _t("complaint_handler", _l("Complaint handler"), "承办人",
       "负责答复一件投诉的工作人员：处理该投诉的组织的负责人或协调员，或民政局工作人员。",
       "The person who answers a complaint: an admin or coordinator of the organization "
       "handling it, or a bureau officer.", "处理人"),
    _t("attendance", _l("Attendance at a service"), "到场记录",
       "居民来接受了预约的服务的记录：现场扫码、组织工作人员登记或居民事后确认，注明来源；"
       "预约了却没有来的记为未到场。服务对象人数按到场记录计，不按预约计。",
       "The record that a resident came to a service they booked: scanned on the spot, marked by "
       "the organization's staff, or confirmed by the resident afterwards, with its source; one "
       "who booked and did not come is a no-show. People served count attendance, not bookings.",
       "出勤记录"),
    _t("no_show", _l("No-show"), "未到场", "预约了服务却没有来，由组织工作人员登记。",
       "A resident who booked a service and did not come, recorded by the organization's staff.",
       "爽约", "缺席"),
    _t("return_visit", _l("Return visit"), "回访",
       "民政局按记录在案的随机种子抽取记为已服务的居民，电话或上门询问是否确实接受了服务、是否满意。",
       "The bureau draws, with a recorded random seed, residents recorded as served and asks them "
       "by phone or at their door whether they were really served and how satisfied they are.",
       "复访", "追访"),
    _t("escalated", _l("Escalated to the bureau"), "已上报民政局",
       "投诉超过答复期限仍未答复，或居民不满意要求重新处理，报民政局督办。",
       "A complaint past its deadline unanswered, or reopened by the resident, is put before "
       "the bureau to see it through.", "已升级"),
    _t("consultation", _l("Residents' consultation"), "居民议事",
       "民政局在发布申报通知前请一个社区的居民从该社区的需求和拟购买项目中选出优先事项：登记在册的居民"
       "每人一票，可发表意见；纸质投票和议事会表决由工作人员录入并注明来源；结果连同票数公布，"
       "申报通知可以引用。",
       "Before a call is published, the bureau asks one community's residents which of its needs "
       "and proposed projects come first: each resident on the district's roll votes once and may "
       "comment; paper and meeting votes are entered by staff with their source; the result is "
       "published with its counts and a call can cite it.", "民意调查"),
    _t("community_notice", _l("Community notice"), "社区通知",
       "社区工作人员或民政局发给某个区域（含下级区域）登记在册居民的通知，可只发某类服务对象；"
       "进入居民的消息，收短信的居民同时收到短信；居民可随时不再接收。",
       "A notice community staff or the bureau send to the residents on the roll in an area and "
       "the areas under it, optionally one target group: it reaches their inbox, and by text "
       "message those reached that way; a resident may stop them at any time.", "社区公告"),
]

MONEY = [
    _t("fund", _l("Fund"), "专项资金", "民政局按年度下达、用于购买服务的资金。",
       "Money the bureau appropriates for a fiscal year to buy services.", "基金"),
    _t("appropriation", _l("Appropriation"), "资金下达", "民政局把预算安排进专项资金。",
       "The bureau puts budget into a fund.", "预算拨款"),
    _t("call", _l("Call"), "申报通知", "民政局发布的购买服务征集，组织据此申报。",
       "The bureau's call for proposals, which organizations apply to.", "申报项目", "征集公告"),
    _t("application", _l("Application"), "申报", "组织对申报通知提交的方案和预算。",
       "An organization's plan and budget in answer to a call."),
    _t("award", _l("Award"), "资助", "民政局拟资助某项申报，公示期满无异议后签订合同。",
       "The bureau's decision to fund an application, published for objections first.", "立项"),
    _t("notice", _l("Public notice"), "公示", "公开决定并留出异议期。",
       "A decision made public with a period for objections."),
    _t("contract", _l("Contract"), "合同", "购买服务合同：内容、期限、数量、质量、价格和分期款项。",
       "The purchase contract: content, term, quantity, quality, price and tranches.", "合约"),
    _t("commitment", _l("Committed"), "已占用", "合同签订后从专项资金中占用的额度（含已拨付部分）。",
       "What signed contracts tie up in a fund, paid or not.", "承诺"),
    _t("tranche", _l("Tranche"), "分期款项", "合同约定按里程碑分期支付的一笔款项。",
       "A part of the price paid when its milestone is approved.", "拨付批次", "分期付款"),
    _t("disbursement", _l("Disbursement"), "拨付", "民政局把一期款项付给组织。",
       "The bureau pays a tranche to the organization.", "拨款"),
    _t("expenditure", _l("Expenditure"), "支出", "组织用合同资金付出的一笔钱，附票据并经审批。",
       "Money an organization spends from a contract, with receipts and approvals.", "开支", "花费"),
    _t("receipt", _l("Receipt"), "票据", "支出的原始票据（发票、收据）的照片或 PDF。",
       "The photo or PDF of the original invoice or receipt.", "收据", "原始凭证"),
    _t("budget_line", _l("Budget line"), "预算科目", "合同预算按用途分列的一行，如交通、物资。",
       "One line of a contract's budget, such as transport or materials.", "预算明细"),
    _t("contract_amount", _l("Contract amount"), "合同金额", "合同约定的服务价格总额，分期拨付。",
       "The contract's price as signed, paid in tranches.", "合同价款"),
    _t("disbursed", _l("Disbursed"), "已拨付", "民政局已经付到组织这份合同账户上的钱。",
       "What the bureau has paid into the organization's account for this contract."),
    _t("spent", _l("Spent"), "已支出", "已审批入账的支出和已结算的积分兑换，扣除更正冲销。",
       "Final expenditures and settled redemptions in the books, less corrections.",
       "已花费"),
    _t("pending_spending", _l("Pending expenditures"), "待审批支出",
       "已录入、还在审批或公示异议期的支出，尚未入账。",
       "Expenditures recorded and still being approved or open to objection; not yet in the books."),
    _t("available_balance", _l("Available balance"), "可用余额",
       "账面余额减去待审批支出，是组织还能报销的钱。",
       "The book balance less pending expenditures: what the organization may still spend."),
    _t("book_balance", _l("Book balance"), "账面余额",
       "组织这份合同账户上现有的钱：已拨付减已支出减已退回。",
       "What the contract account holds now: disbursed less spent less refunded.",
       "组织结存", "结余"),
    _t("refunded", _l("Refunded"), "已退回", "合同结项或更正时从组织退回专项资金的钱。",
       "Money the organization returned to the fund, at closing or by correction.", "已退款"),
    _t("books", _l("Books"), "账簿", "按年度记录资金往来的账簿，只增不改。",
       "The append-only books of the money, one per fiscal year.", "日记账", "帐簿"),
    _t("ledger_account", _l("Ledger account"), "会计科目", "账簿中的科目，按民间非营利组织会计制度命名。",
       "An account of the books, named as the non-profit accounting rules name it."),
    _t("ledger_transaction", _l("Ledger transaction"), "记账凭证", "账簿中的一笔记录，由若干分录组成。",
       "One entry of the books, made of postings.", "账簿交易"),
]

OVERSIGHT = [
    _t("finding", _l("Finding"), "线索", "异常检查规则发现、需要核查的情况。",
       "Something an anomaly rule found that needs looking into.", "疑点"),
    _t("spot_check", _l("Spot check"), "抽查", "按记录在案的随机种子抽取样本，对照凭证核查。",
       "A reproducible random sample checked against its evidence."),
    _t("monthly_report", _l("Monthly report"), "每月通报",
       "每个自然月的服务和资金情况，按组织和全区各出一份，次月初公开发布，发布后不再更改。",
       "Each calendar month's service and money, one per organization and one for the district, "
       "published at the start of the next month and never changed afterwards.", "月报"),
    _t("evaluation", _l("Performance evaluation"), "绩效评价", "百分制绩效评价，评定优、良、中、差。",
       "The 100-point evaluation with tiers excellent, good, fair, poor.", "绩效考评"),
    _t("audit_log", _l("Audit log"), "审计日志", "每一次数据变更的记录，只增不改。",
       "Every change to the data, append-only."),
]

GLOSSARY: list[Term] = PEOPLE + SERVICE + MONEY + OVERSIGHT
TERMS: dict[str, Term] = {t.key: t for t in GLOSSARY}


def term(key: str) -> str:
    """The page's word for a concept, in the reader's language."""
    return str(TERMS[key].label)


def markdown() -> str:
    """``docs/glossary.md``: the glossary as a table, for people who write pages."""
    lines = ["# 术语表 · Glossary", "",
             "One word per concept. Written from `app/glossary.py` by `flask i18n glossary`;",
             "`tests/test_glossary.py` checks the zh catalogs against it. Do not edit by hand.",
             "本表由 `app/glossary.py` 生成，请勿手工修改。", ""]
    for title, terms in (("人员 · People", PEOPLE), ("服务 · Service", SERVICE),
                         ("资金 · Money", MONEY), ("监管 · Oversight", OVERSIGHT)):
        lines += [f"## {title}", "", "| 术语 | English | 含义 | Meaning | 不要写作 |",
                  "|---|---|---|---|---|"]
        lines += [f"| {t.zh} | {t.en} | {t.meaning_zh} | {t.meaning_en} | {'、'.join(t.avoid) or '—'} |"
                  for t in terms]
        lines.append("")
    return "\n".join(lines)
