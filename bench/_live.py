"""What the live-service benchmarks share: a private Redis, the demo tenant with extra
bench volunteers (API tokens, a password, a confirmed place on an ongoing shift), a
cookie-keeping HTTP session that logs in through the form, and fresh check-in codes."""

from __future__ import annotations

import contextlib
import http.client
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, env, free_port  # noqa: E402

PASSWORD = "gongzhi2026"
SECRET = "bench-secret"
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


@contextlib.contextmanager
def private_redis() -> Iterator[tuple[int, subprocess.Popen]]:
    """A redis-server of our own on a free port, no persistence; yields (port, process)."""
    port = free_port()
    proc = start_redis(port)
    try:
        yield port, proc
    finally:
        stop(proc)


def start_redis(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port),
                             "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        with contextlib.suppress(OSError):
            import socket
            socket.create_connection(("127.0.0.1", port), timeout=0.3).close()
            return proc
        time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def flask(url: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env(url, **extra),
                          capture_output=True, text=True, timeout=300)


@contextlib.contextmanager
def worker(url: str, **extra: str) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=ROOT,
                            env=env(url, **extra), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        yield proc
    finally:
        stop(proc)


def seed(url: str, signers: int, checkers: int, **extra: str) -> dict:
    """Demo data, then ``signers`` volunteers with API tokens (free to sign up) and
    ``checkers`` volunteers with a password, confirmed on an ongoing shift."""
    done = flask(url, "demo", "load", **extra)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.auth.models import ApiToken, Role, RoleGrant, User
    from app.db import utcnow
    from app.extensions import db
    from app.projects.models import Project, ProjectStatus, Shift, ShiftSignup, SignupStatus
    from app.tenancy.models import Tenant
    from app.volunteers.models import VolunteerProfile

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": "",
                      "JOBS_INLINE": True})
    with app.app_context(), app.test_request_context("/t/demo/"):
        now = utcnow().replace(microsecond=0)
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        project = db.session.scalars(select(Project).where(
            Project.tenant_id == tenant.id, Project.status == ProjectStatus.PUBLISHED)
            .order_by(Project.id)).first()
        ongoing = Shift(tenant_id=tenant.id, org_id=project.org_id, project_id=project.id,
                        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3),
                        place="压测活动室", capacity=100_000)
        later = Shift(tenant_id=tenant.id, org_id=project.org_id, project_id=project.id,
                      starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=2),
                      place="压测活动室", capacity=100_000)
        db.session.add_all([ongoing, later])
        db.session.flush()
        total = signers + checkers
        phones = [f"147{n:08d}" for n in range(total)]
        pw = generate_password_hash(PASSWORD)
        db.session.execute(insert(User), [
            {"phone": p, "name": f"压测志愿者{n}", "password_hash": pw, "created_at": now}
            for n, p in enumerate(phones)])
        ids = dict(db.session.execute(select(User.phone, User.id)
                                      .where(User.phone.in_(phones))).all())
        db.session.execute(insert(RoleGrant), [
            {"user_id": ids[p], "tenant_id": tenant.id, "role": Role.VOLUNTEER.value,
             "created_at": now} for p in phones])
        db.session.execute(insert(VolunteerProfile), [
            {"tenant_id": tenant.id, "user_id": ids[p], "real_name": f"压测志愿者{n}",
             "gender": "F", "birth_date": date(1990, 1, 1), "id_number": f"Y{n:017d}",
             "phone": p, "consent_at": now, "consent_version": "bench", "created_at": now}
            for n, p in enumerate(phones)])
        tokens = ["gz_" + secrets.token_urlsafe(32) for _ in phones[:signers]]
        db.session.execute(insert(ApiToken), [
            {"user_id": ids[p], "name": "bench", "token_hash": ApiToken.hash(t), "created_at": now}
            for p, t in zip(phones[:signers], tokens, strict=True)])
        db.session.commit()
        # The shift has started, so sign-up refuses it now: the places were taken earlier.
        if checkers:
            db.session.execute(insert(ShiftSignup), [
                {"tenant_id": tenant.id, "shift_id": ongoing.id, "user_id": ids[p],
                 "status": SignupStatus.CONFIRMED.value, "queued_at": now - timedelta(days=1),
                 "confirmed_at": now - timedelta(days=1), "created_at": now - timedelta(days=1)}
                for p in phones[signers:]])
        db.session.get(Shift, ongoing.id).confirmed_count = checkers
        db.session.commit()
        out = {"project_id": project.id, "ongoing_id": ongoing.id, "later_id": later.id,
               "tokens": tokens, "checkers": phones[signers:], "tenant_id": tenant.id}
        db.engine.dispose()
    return out


class Codes:
    """Fresh check-in codes for one shift, made with the server's secret."""

    def __init__(self, url: str, shift_id: int):
        from app import create_app
        from app.extensions import db
        from app.projects.models import Shift

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
                               "REDIS_URL": ""})
        with self.app.app_context():
            shift = db.session.get(Shift, shift_id)
            db.session.expunge(shift)
            self.shift = shift
            db.engine.dispose()

    def make(self, purpose: str = "in") -> str:
        from app.service.services import make_token

        with self.app.app_context():
            return make_token(self.shift, purpose)


class Session:
    """A keep-alive connection that keeps cookies and logs in through the form."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def csrf(self, path: str) -> str:
        status, body = self.request("GET", path)
        found = CSRF.search(body)
        if not found:
            raise RuntimeError(f"no csrf_token on {path} ({status})")
        return found.group(1).decode()

    def login(self, account: str, password: str = PASSWORD) -> None:
        token = self.csrf("/login")
        status, _body = self.request("POST", "/login", {"csrf_token": token, "account": account,
                                                        "password": password})
        if status != 302:
            raise RuntimeError(f"login of {account} answered {status}")


def login_cookies(url: str, accounts: list[str], password: str = PASSWORD) -> dict[str, dict]:
    """Session cookies for ``accounts``, made by logging in through the same form in-process
    (the served app limits logins per address, rightly, so a load test cannot log hundreds
    of people in over HTTP). The cookies are signed with the server's secret."""
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": "",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    out = {}
    for account in accounts:
        client = app.test_client()
        response = client.post("/login", data={"account": account, "password": password})
        if response.status_code != 302:
            raise RuntimeError(f"login of {account} answered {response.status_code}")
        out[account] = {c.key: c.value for c in client._cookies.values()}
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()
    return out
