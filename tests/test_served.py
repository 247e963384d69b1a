"""Behind a real gunicorn, with real HTTP clients: an oversized body gets its 413, in the
API's error shape, instead of a connection closed under the client."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(app, tmp_root):
    """``gunicorn 'app:create_app()'`` as the README runs it, on the suite's database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "served-test", "INSTANCE_PATH": str(tmp_root / "served"),
           "LEDGER_DIR": str(tmp_root / "served" / "ledger")}
    env.pop("REDIS_URL", None)
    log = (tmp_root / "gunicorn.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                               "app:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_root / "gunicorn.log").read_text()[-2000:]
                time.sleep(0.1)
        yield {"host": "127.0.0.1", "port": port, "max": app.config["MAX_CONTENT_LENGTH"]}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


URL = "/api/v1/t/demo/organizations/1/projects"


def body_of(size: int) -> bytes:
    return b'{"name":"' + b"a" * size + b'","category":"x"}'


def assert_413(status: int, raw: bytes) -> None:
    assert status == 413, raw[:300]
    body = json.loads(raw)
    assert body["code"] == 413 and body["status"] == "Request Entity Too Large" and body["message"]


def test_a_client_that_sends_its_whole_body_first_hears_the_413(served):
    """http.client writes the whole body before it reads: it still gets the answer."""
    connection = http.client.HTTPConnection(served["host"], served["port"], timeout=30)
    connection.request("POST", URL, body=body_of(served["max"] + 1024 * 1024),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert_413(response.status, response.read())
    connection.close()


def test_an_oversized_chunked_body_gets_the_413(served):
    """No Content-Length: refused once the body passes the limit while being read."""
    body = body_of(served["max"] + 1024 * 1024)
    chunks = (body[i:i + 65536] for i in range(0, len(body), 65536))
    connection = http.client.HTTPConnection(served["host"], served["port"], timeout=30)
    connection.request("POST", URL, body=chunks, encode_chunked=True,
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert_413(response.status, response.read())
    connection.close()


def test_requests_gets_the_413_for_a_form_upload_too(served):
    files = {"certificate": ("证书.png", b"\x89PNG" + b"0" * (served["max"] + 1024))}
    response = requests.post(f"http://{served['host']}:{served['port']}/api/v1/t/demo/organizations",
                             files=files, timeout=30)
    assert_413(response.status_code, response.content)
