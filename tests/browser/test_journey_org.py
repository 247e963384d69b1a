"""Journey: a newly registered user registers an organization with a credit code and a
certificate image, the bureau officer verifies it from the queue, and the new org admin
writes a project from the template, adds a volunteer shift and publishes it."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import date, timedelta

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
    assert "发布前请至少添加一个志愿岗位或服务名额。" in _text(page), _text(page)

    page.click("text=添加志愿岗位")
    day = (date.today() + timedelta(days=7)).isoformat()
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
    body = _text(page)
    assert "已发布：项目已在服务大厅上架。" in body
    assert f"{PROJECT} 已发布" in body
    admin.shot("published")

    page = admin.go("/t/demo/projects?q=智能手机")
    body = _text(page)
    assert "共找到 1 个项目" in body and PROJECT in body and ORG in body
    assert "志愿岗位剩余 6" in body
    admin.shot("in the marketplace")
