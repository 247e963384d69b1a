"""What a request brings in is read once, with limits, before any of it is used: a JSON body
of any shape, any text, any size is refused with a 4xx and a message (the API's error shape),
or accepted as text that PostgreSQL, Excel and XML can hold."""

from __future__ import annotations

import io
import json
import time

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.auth.services import issue_api_token
from app.projects.models import Project
from tests.factories import OrgFactory, TenantFactory, user_with

DEEP = 10_000
NOT_TEXT = "文本中含有无效字符"
CONTROL = "文本中含有不可见的控制字符"


@pytest.fixture
def org_admin(db):
    """An org admin's bearer token and the URL that creates a project (the issue's request)."""
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    token = issue_api_token(user_with(tenant, Role.ORG_ADMIN, org), "test")
    return {"url": f"/api/v1/t/{tenant.slug}/organizations/{org.id}/projects",
            "headers": {"Authorization": f"Bearer {token}"}, "tenant": tenant, "org": org}


def post_raw(client, target, data: bytes, content_type: str | None = "application/json", **kw):
    headers = dict(target["headers"])
    if content_type:
        headers["Content-Type"] = content_type
    return client.post(target["url"], data=data, headers=headers, **kw)


def refused(response, code: int, words: str = "") -> dict:
    """The API's error shape, with ``code`` and a message holding ``words``."""
    assert response.status_code == code, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) >= {"code", "status", "message"} and body["code"] == code, body
    assert body["message"] and words in body["message"], body["message"]
    return body


def projects(db) -> int:
    return db.session.scalar(select(func.count(Project.id)))


def test_deeply_nested_bodies_are_refused_before_parsing(client, db, org_admin):
    """Ten thousand levels of arrays or objects, at the top or inside a field, get a 400 that
    says the body is nested too deeply, quickly, and nothing is stored."""
    arrays = "[" * DEEP + "]" * DEEP
    objects = '{"a":' * DEEP + "1" + "}" * DEEP
    bodies = [arrays, objects, '{"name":' + arrays + "}", '{"name":"x","budget_lines":[' + objects
              + "]}", '{"name":"' + "[" * DEEP + '"}']
    for body in bodies[:4]:
        started = time.monotonic()
        refused(post_raw(client, org_admin, body.encode()), 400, "嵌套")
        assert time.monotonic() - started < 1
    # Brackets inside a string are text, not nesting: this body is only refused by the schema.
    refused(post_raw(client, org_admin, bodies[4].encode()), 422)
    assert projects(db) == 0


def test_a_body_with_too_many_values_is_refused(client, db, org_admin):
    lines = [{"line": "a", "amount": "1"}] * 20_000
    body = json.dumps({"name": "x", "category": "助老服务", "budget_lines": lines})
    refused(post_raw(client, org_admin, body.encode()), 400, "数据项过多")
    refused(post_raw(client, org_admin, json.dumps([0] * 200_000).encode()), 400, "数据项过多")
    assert projects(db) == 0


@pytest.mark.parametrize("body, words", [
    (b'{"name": "a", "name": "b", "category": "\xe5\x8a\xa9\xe8\x80\x81\xe6\x9c\x8d\xe5\x8a\xa1"}',
     "出现了两次"),
    (b'{"name": ', "不是有效的 JSON"),
    (b'{"name": "a", "cancel_deadline_hours": NaN}', "不是有效的 JSON"),
    (b'{"name": "a", "cancel_deadline_hours": Infinity}', "不是有效的 JSON"),
    (b'{"name": "a", "cancel_deadline_hours": 1' + b"0" * 5000 + b"}", "不是有效的 JSON"),
    (b'{"name": "\xff\xfe"}', "UTF-8"),
    ('{"name": "助老"}'.encode("utf-16"), "UTF-8"),
    (b'{"name": "\xed\xa0\x80"}', "UTF-8"),  # a surrogate written out in UTF-8 bytes
    (b"", "不是有效的 JSON"),
])
def test_bodies_that_are_not_json_are_refused(client, db, org_admin, body, words):
    refused(post_raw(client, org_admin, body), 400, words)
    assert projects(db) == 0


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/octet-stream",
                                          "application/xml"])
def test_a_json_body_needs_the_json_content_type(client, db, org_admin, content_type):
    """A body the API cannot read as JSON (or as a form where a form is expected) is refused
    with a 415 that says how to send it, not read as if it were empty."""
    body = json.dumps({"name": "x", "category": "助老服务"}).encode()
    refused(post_raw(client, org_admin, body, content_type), 415, "application/json")
    assert projects(db) == 0


def test_an_oversized_body_gets_a_413_with_the_error_shape(app, client, db, org_admin):
    """Refused on its Content-Length before any of it is read: over the JSON limit for a JSON
    body, over the request limit for any other."""
    json_limit = app.config["MAX_JSON_BYTES"]
    body = b'{"name":"' + b"a" * json_limit + b'","category":"x"}'
    refused(post_raw(client, org_admin, body), 413, "请求内容过大")
    big = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    refused(post_raw(client, org_admin, big, "multipart/form-data; boundary=x"), 413)
    page = client.post("/login", data=big, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413 and "请求内容过大" in page.get_data(as_text=True)
    assert projects(db) == 0


def test_the_reported_lone_surrogate_is_refused_and_the_audit_chain_goes_on(app, client, db,
                                                                           org_admin):
    """The issue's request: a lone surrogate written as a JSON escape in a budget line is
    refused with a message; nothing is stored, and the audit log still seals and verifies."""
    body = '{"name":"x","category":"助老服务","budget_lines":[{"line":"\\ud800","amount":"1.00"}]}'
    refused(post_raw(client, org_admin, body.encode()), 400, NOT_TEXT)
    assert projects(db) == 0
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "seal"]).exit_code == 0
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and "entries chained" in verify.output


@pytest.mark.parametrize("text", ["\\ud800", "\\udfff", "a\\udc00b", "\\ufffe", "\\uffff",
                                  "\\u0000", "\\u001b"])
@pytest.mark.parametrize("where", ["value", "key", "nested value"])
def test_text_that_cannot_be_stored_is_refused_in_any_json_string(client, db, org_admin, text,
                                                                  where):
    bodies = {"value": '{"name":"%s","category":"助老服务"}',
              "key": '{"name":"x","category":"助老服务","%s":1}',
              "nested value": '{"name":"x","category":"助老服务","target_groups":["%s"]}'}
    response = post_raw(client, org_admin, (bodies[where] % text).encode())
    refused(response, 400, CONTROL if text in ("\\u0000", "\\u001b") else NOT_TEXT)
    assert projects(db) == 0


def test_real_text_is_stored_as_sent(client, db, org_admin):
    """Emoji (a surrogate pair in a JSON escape, or plain), astral CJK, right-to-left marks,
    tabs and line breaks are text: stored as they came."""
    name, content = "助老😀\U00020000\u200f\u202eابc", "第一行\n\t第二行"
    body = json.dumps({"name": name, "category": "助老服务", "theme": "\ud83d\ude00",
                       "content": content}, ensure_ascii=True)
    response = post_raw(client, org_admin, body.encode())
    assert response.status_code == 201, response.get_data(as_text=True)
    project = db.session.get(Project, response.get_json()["id"])
    assert (project.name, project.theme, project.content) == (name, "😀", content)


@pytest.mark.parametrize("text", ["\ufffe", "\uffff"])
def test_noncharacters_are_refused_in_forms_queries_paths_and_file_names(client, db, text):
    tenant = TenantFactory()
    quoted = text.encode().hex("%").upper()
    page = client.post("/login", data={"account": f"138{text}", "password": "x"})
    assert page.status_code == 400 and NOT_TEXT in page.get_data(as_text=True)
    assert client.get(f"/t/{tenant.slug}/projects?q=%{quoted}").status_code == 400
    assert client.get(f"/t/x%{quoted}y/").status_code == 400
    upload = client.post("/login", data={"account": "13800000000", "password": "x",
                                         "file": (io.BytesIO(b"x"), f"证书{text}.png")},
                         content_type="multipart/form-data")
    assert upload.status_code == 400 and NOT_TEXT in upload.get_data(as_text=True)
