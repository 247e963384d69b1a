"""Journeys of an organization's staff.

A newly registered user registers an organization with a credit code and a certificate
image, the bureau officer verifies it from the queue, and the new org admin writes a
project from the template, adds a volunteer shift and publishes it.

A coordinator of 阳光社区服务中心 proposes a correction of a volunteer's hours on a past
shift; she may not approve it herself, the organization's admin does, and the record and
the volunteer's total change on the shift page."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import timedelta

from app.parsing import local_today
from tests.browser.conftest import DESKTOP

ORG = "青禾社区互助服务中心"
PROJECT = "青禾社区老年人智能手机课堂"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _png(path) -> None:
    """A real 8×8 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * 8 for _ in range(8))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_org_registers_is_verified_and_publishes(journey, tmp_path):
    admin = journey("org-register", DESKTOP)
    admin.page.set_default_timeout(10000)
    page = admin.go("/t/demo/register")
    page.fill("#name", "何青禾")
    page.fill("#account", "13600000001")
    page.fill("#password", "heqinghe2026")
    page.fill("#confirm", "heqinghe2026")
    page.check("#agree")
    page.click("button.primary")
    assert "欢迎！您的账号已开通。" in _text(page)

    page = admin.go("/t/demo/orgs/register")
    assert "登记社会组织" in _text(page)
    certificate = tmp_path / "登记证书.png"
    _png(certificate)
    page.fill("#name", ORG)
    page.fill("#credit_code", "91110000802100433B")
    page.select_option("#kind", label="居民互助类")
    page.fill("#legal_representative", "何青禾")
    page.fill("#contact_name", "何青禾")
    page.fill("#contact_phone", "13600000001")
    page.fill("#contact_email", "qinghe@example.cn")
    page.fill("#description", "组织居民互帮互助，为老年人提供智能手机使用辅导。")
    page.select_option("#area_ids", label="幸福社区")
    page.set_input_files("#certificate", str(certificate))
    admin.shot("org registration form")
    page.click("form button.primary")
    body = _text(page)
    assert f"{ORG} 待审核" in body
    assert "登记已提交。" in body
    org_id = int(re.search(r"/orgs/(\d+)/edit", page.url).group(1))
    admin.shot("registration submitted")

    bureau = journey("org-verify", DESKTOP)
    bureau.page.set_default_timeout(10000)
    bureau.login("bureau@demo.gongzhi.cn")
    page = bureau.go("/t/demo/orgs/review")
    assert "组织审核" in _text(page)
    assert page.locator("li", has_text=ORG).inner_text().startswith(f"{ORG} 居民互助类 · 提交于")
    bureau.shot("verification queue")
    page.click(f"text={ORG}")
    body = _text(page)
    assert f"{ORG} 待审核" in body
    assert "91110000802100433B" in body and "136****0001" in body and "13600000001" not in body
    # The uploaded certificate is served back as the PNG it was.
    certificate_link = page.locator("a", has_text="查看")
    response = page.request.get(page.url.rsplit("/review", 1)[0] + "/certificate")
    assert response.ok and response.body()[:8] == b"\x89PNG\r\n\x1a\n"
    assert certificate_link.count() == 1
    bureau.shot("review page")
    page.click("button[value=approve]")
    bureau.confirm("即成为已认证组织", "asked before verifying")
    body = _text(page)
    assert f"{ORG} 已通过审核。" in body, body
    assert ORG not in body.replace(f"{ORG} 已通过审核。", "")
    bureau.shot("verified")

    page = admin.go(f"/t/demo/orgs/{org_id}/projects/new")
    body = _text(page)
    assert "新建项目" in body
    for section in ("项目亮点", "主要内容", "活动安排", "预期成效", "团队分工", "安全与应急预案"):
        assert section in body
    page.fill("#name", PROJECT)
    page.select_option("#category", "助老服务")
    page.select_option("#area_id", label="幸福社区")
    page.check("input[name=target_groups][value=独居老人]")
    page.fill("#theme", "教老人用手机挂号、视频通话")
    page.fill("#highlights", "一对一辅导，老人带自己的手机来学。")
    page.fill("#content", "志愿者手把手教老人使用微信视频、网上挂号和防诈骗知识。")
    page.fill("#schedule", "每周三下午 14:30–16:00。")
    page.fill("#expected_outcomes", "帮助 50 位老人学会视频通话和网上挂号。")
    page.fill("#team_roles", "负责人 1 名，志愿者 6 名。")
    page.fill("#budget", "讲义印刷 300\n志愿者保险 180")
    page.fill("#safety_plan", "活动室配急救箱，老人身体不适立即联系家属。")
    admin.shot("project form")
    page.click("button.primary:has-text('保存')")
    body = _text(page)
    assert "草稿已保存。请添加志愿岗位或服务名额，然后发布。" in body
    assert f"{PROJECT} 草稿" in body
    admin.shot("draft saved")

    # Publishing needs a shift or a slot first.
    page.click("button.primary:has-text('发布')")
    admin.confirm("发布后居民即可在服务大厅看到")
    assert "发布前请至少添加一个志愿岗位或服务名额。" in _text(page), _text(page)

    page.click("text=添加志愿岗位")
    day = (local_today() + timedelta(days=7)).isoformat()
    page.fill("#day", day)
    page.fill("#start", "14:30")
    page.fill("#end", "16:00")
    page.fill("#place", "幸福社区活动室")
    page.fill("#capacity", "6")
    page.fill("#required_skills", "会用智能手机")
    admin.shot("shift form")
    page.click("button.primary")
    body = _text(page)
    assert "已保存。" in body
    assert f"{day} 14:30–16:00 · 幸福社区活动室" in body
    admin.shot("shift added")
    page.click("button.primary:has-text('发布')")
    admin.confirm("发布后居民即可在服务大厅看到", "asked before publishing")
    body = _text(page)
    assert "已发布：项目已在服务大厅上架。" in body
    assert f"{PROJECT} 已发布" in body
    admin.shot("published")

    page = admin.go("/t/demo/projects?q=智能手机")
    body = _text(page)
    assert "共找到 1 个项目" in body and PROJECT in body and ORG in body
    assert "志愿岗位剩余 6" in body
    admin.shot("in the marketplace")


def _staff(journey, name: str, account: str):
    j = journey(name, DESKTOP)
    j.page.set_default_timeout(10000)
    j.login(account)
    return j


def _open_demo_shift(page) -> None:
    """From the staff home to the demo's meal-delivery shift of three days ago (14:00–17:00)."""
    page.locator("tr", has_text="邻里助老送餐（演示）").filter(has_text="14:00").locator("a").click()
    assert "邻里助老送餐（演示）" in _text(page)


def _attendance(page, name: str) -> list[str]:
    """A volunteer's row in the shift's attendance table: name, total hours, this record."""
    cells = page.locator("tr", has_text=name).locator("td")
    return [" ".join(cells.nth(i).inner_text().split()) for i in range(3)]


def test_a_second_staff_member_approves_a_correction(journey):
    coordinator = _staff(journey, "correction-propose", "sun-coord@demo.gongzhi.cn")
    page = coordinator.go("/t/demo/service/staff")
    _open_demo_shift(page)
    assert _attendance(page, "刘洋") == ["刘洋", "4", "2 小时 14:35–16:45 · 扫码"]
    coordinator.shot("shift attendance")

    # 刘洋 arrived on time but his phone was flat: the sign-in sheet shows 14:00.
    page.select_option("#user_id", label="刘洋")
    day = page.input_value("#starts_at")[:10]
    assert page.input_value("#starts_at") == f"{day}T14:00"
    page.fill("#ends_at", f"{day}T16:45")
    page.fill("#reason", "刘洋 14:00 准时到岗，手机没电未能扫码，纸质签到表可证。")
    coordinator.shot("correction proposed")
    page.click("button:has-text('提交申请')")
    body = _text(page)
    assert "申请已提交，将由另一名有权限的人员审批。" in body
    request = page.locator("li", has_text="提交人：阳光协调员")
    assert "刘洋 · 邻里助老送餐（演示）" in request.inner_text()
    assert "14:00–16:45, 2 → 2.75 小时" in request.inner_text()
    # Nobody approves their own request.
    assert "此条须由另一名有权限的人员审批。" in request.inner_text()
    assert request.locator("button", has_text="批准").count() == 0
    assert "批准我有权审批的全部申请" not in body
    assert _attendance(page, "刘洋")[2] == "2 小时 14:35–16:45 · 扫码"
    coordinator.shot("awaiting a second person")

    admin = _staff(journey, "correction-approve", "sun-admin@demo.gongzhi.cn")
    page = admin.go("/t/demo/service/staff")
    page.locator("p.actions", has_text="阳光社区服务中心").locator("a", has_text="待审批时长").click()
    request = page.locator("li", has_text="刘洋 · 邻里助老送餐（演示）")
    assert "纸质签到表可证" in request.inner_text()
    admin.shot("requests to approve")
    request.locator("input[name=reason]").fill("已核对纸质签到表。")
    request.locator("button", has_text="批准").click()
    body = _text(page)
    assert "审批结果已记录。" in body
    assert "刘洋 · 邻里助老送餐（演示）" not in body
    admin.shot("approved")

    page = admin.go("/t/demo/service/staff")
    _open_demo_shift(page)
    # The record now counts 14:00–16:45, and so does his total.
    assert _attendance(page, "刘洋") == ["刘洋", "4.75", "2.75 小时 14:00–16:45 · 更正"]
    assert "暂无待审批的申请。" in _text(page)
    admin.shot("record corrected")

    page = coordinator.page
    page.reload()
    assert _attendance(page, "刘洋")[2] == "2.75 小时 14:00–16:45 · 更正"

    # 刘洋 sees the decision on his phone.
    volunteer = journey("correction-volunteer")
    volunteer.page.set_default_timeout(10000)
    volunteer.login("13800000004")
    page = volunteer.go("/t/demo/service/me")
    request = page.locator("li", has_text="邻里助老送餐（演示）").filter(has_text="更正")
    assert "2.75 小时" in request.inner_text() and "已批准" in request.inner_text()
    assert "已核对纸质签到表。" in request.inner_text()
    volunteer.shot("correction approved")
